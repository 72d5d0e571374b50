/**
 * Where an OAuth2 transport gets its mailbox's access token, at each send (in the worker: the
 * AccessTokenManager of @mailroom/oauth, bound to the tenant's stored grant). It hands out a token
 * good for a few more minutes, refreshing it first if needed. `rejected`: a token the server just
 * refused, so a newer one is wanted even if it looks fresh.
 *
 * Throws DeliveryErrors: `oauth_reconnect_required` (permanent) when the vendor refused the refresh
 * (invalid_grant), `oauth_unavailable` (retryable) when the vendor could not be reached.
 */
export interface AccessTokenSource {
  getAccessToken(options?: { rejected?: string }): Promise<string>;
}

/**
 * A tenant's connected mailbox, tokens opened, as the token manager reads it (structurally the
 * OAuthGrant of @mailroom/oauth, which transports do not depend on). `connectedAt` tells one
 * connection from the next: renewed tokens are written only over the connection they renew.
 */
export interface MailboxGrant {
  vendor: 'google' | 'microsoft';
  via: 'smtp' | 'graph';
  refreshToken: string;
  accessToken?: string;
  /** Epoch ms. */
  accessTokenExpiresAt?: number;
  connectedAt: string;
}

/** What a refresh produced (structurally @mailroom/oauth's RenewedTokens). */
export interface RenewedMailboxTokens {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenRotated: boolean;
}
