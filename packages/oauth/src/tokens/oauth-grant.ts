import type { OAuthVendorName, OAuthVia } from '../oauth-vendors';

/** A tenant's connection as stored, its secrets opened (in memory only, for the refresh). */
export interface OAuthGrant {
  vendor: OAuthVendorName;
  via: OAuthVia;
  refreshToken: string;
  /** The last access token issued, if one is cached. */
  accessToken?: string;
  /** When it stops working (epoch ms). */
  accessTokenExpiresAt?: number;
}

/** What a refresh produced, for the caller to seal and store. */
export interface RenewedTokens {
  accessToken: string;
  accessTokenExpiresAt: number;
  /** The refresh token to use from now on: the vendor's new one (Microsoft rotates them), else the old one. */
  refreshToken: string;
  /** Whether `refreshToken` is new and must replace the stored one. */
  refreshTokenRotated: boolean;
}

/**
 * One tenant's grant, as the worker sees it: read it (opening the sealed tokens) and write renewed
 * tokens (sealing them). Both go to the shared store, so every worker reads what any worker wrote.
 * `write` must not bump the settings version: that would evict every worker's pooled transport.
 */
export interface OAuthGrantHandle {
  tenantId: string;
  read(): Promise<OAuthGrant>;
  write(tokens: RenewedTokens): Promise<void>;
}
