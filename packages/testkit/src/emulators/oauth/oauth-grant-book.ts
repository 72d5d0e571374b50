import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { OAuthFlavour, TokenRefusal } from './oauth-flavours';

/** The mailbox that signs in and consents at the emulated vendor. */
export interface OAuthTestUser {
  email: string;
  name?: string;
  /** Microsoft's sign-in name (`preferred_username`); default `email`. */
  userPrincipalName?: string;
  /** Whether Microsoft puts an `email` claim in the id token (it is optional there); default true. */
  emailClaim?: boolean;
}

/** An authorization code waiting to be redeemed. */
export interface PendingCode {
  clientId: string;
  redirectUri: string;
  scopes: string[];
  codeChallenge: string;
  user: OAuthTestUser;
  nonce?: string;
  issueRefreshToken: boolean;
  expiresAt: number;
  redeemed: boolean;
}

export interface Grant {
  id: string;
  clientId: string;
  user: OAuthTestUser;
  subject: string;
  scopes: string[];
  nonce?: string;
  revoked: boolean;
}

interface IssuedAccessToken {
  grantId: string;
  scopes: string[];
  expiresAt: number;
  expired: boolean;
}

/** What a valid access token stands for. */
export interface AccessTokenOwner {
  email: string;
  clientId: string;
  scopes: string[];
}

export class GrantRefusal extends Error {
  constructor(
    readonly why: TokenRefusal,
    readonly detail = '',
  ) {
    super(why);
  }
}

/**
 * The emulated vendor's memory: codes (single use, short-lived), grants (one per consent), their
 * refresh tokens (rotated or not) and access tokens (with a lifetime), and revocation. No HTTP here.
 */
export class OAuthGrantBook {
  private readonly codes = new Map<string, PendingCode>();
  private readonly grants = new Map<string, Grant>();
  private readonly refreshTokens = new Map<string, { grantId: string; valid: boolean }>();
  private readonly accessTokens = new Map<string, IssuedAccessToken>();
  private readonly consented = new Set<string>();
  private readonly subjects = new Map<string, string>();

  constructor(
    private readonly flavour: OAuthFlavour,
    private readonly now: () => number,
  ) {}

  /** Whether this user consented to this client before (Google issues a refresh token on first consent only, unless prompt=consent). */
  hasConsented(clientId: string, email: string): boolean {
    return this.consented.has(`${clientId} ${email.toLowerCase()}`);
  }

  issueCode(pending: Omit<PendingCode, 'redeemed'>): string {
    this.consented.add(`${pending.clientId} ${pending.user.email.toLowerCase()}`);
    const code = this.flavour === 'google' ? `4/0A${random(48)}` : `M.C${randomBytes(2).toString('hex')}_BAY.2.U.${randomUUID()}`;
    this.codes.set(code, { ...pending, redeemed: false });
    return code;
  }

  /** Redeems a code: checks client, redirect URI and PKCE verifier; single use. */
  redeemCode(input: { code: string; clientId: string; redirectUri?: string; codeVerifier?: string }): {
    grant: Grant;
    issueRefreshToken: boolean;
  } {
    const pending = this.codes.get(input.code);
    if (!pending || pending.clientId !== input.clientId) throw new GrantRefusal('code_unknown');
    if (pending.redeemed) throw new GrantRefusal('code_used');
    if (pending.expiresAt <= this.now()) throw new GrantRefusal('code_expired');
    if (input.redirectUri !== pending.redirectUri) throw new GrantRefusal('redirect_uri_mismatch');
    if (!input.codeVerifier || createHash('sha256').update(input.codeVerifier).digest('base64url') !== pending.codeChallenge) {
      throw new GrantRefusal('pkce_mismatch');
    }
    pending.redeemed = true;
    const grant: Grant = {
      id: randomUUID(),
      clientId: pending.clientId,
      user: pending.user,
      subject: this.subjectOf(pending.user.email),
      scopes: pending.scopes,
      nonce: pending.nonce,
      revoked: false,
    };
    this.grants.set(grant.id, grant);
    return { grant, issueRefreshToken: pending.issueRefreshToken };
  }

  /** The grant behind a live refresh token of this client, or a refusal as the vendor words it. */
  grantOfRefreshToken(refreshToken: string, clientId: string): Grant {
    const entry = this.refreshTokens.get(refreshToken);
    const grant = entry ? this.grants.get(entry.grantId) : undefined;
    if (!entry || !entry.valid || !grant || grant.revoked || grant.clientId !== clientId) throw new GrantRefusal('refresh_token_dead');
    return grant;
  }

  issueRefreshToken(grant: Grant): string {
    const token = this.flavour === 'google' ? `1//0${random(96)}` : `M.C5${randomBytes(2).toString('hex')}_BL2.0.U.-${random(220)}`;
    this.refreshTokens.set(token, { grantId: grant.id, valid: true });
    return token;
  }

  retireRefreshToken(token: string): void {
    const entry = this.refreshTokens.get(token);
    if (entry) entry.valid = false;
  }

  issueAccessToken(grant: Grant, scopes: string[], ttlSeconds: number): string {
    const token = this.flavour === 'google' ? `ya29.a0${random(150)}` : `EwBYBMl6BAAU${random(400)}`;
    this.accessTokens.set(token, { grantId: grant.id, scopes, expiresAt: this.now() + ttlSeconds * 1000, expired: false });
    return token;
  }

  /** Who the token belongs to, if it is live (not expired, grant not revoked) and carries `scope` when given. */
  ownerOf(token: string, scope?: string): AccessTokenOwner | undefined {
    const issued = this.accessTokens.get(token);
    const grant = issued ? this.grants.get(issued.grantId) : undefined;
    if (!issued || !grant || grant.revoked || issued.expired || issued.expiresAt <= this.now()) return undefined;
    if (scope && !issued.scopes.includes(scope)) return undefined;
    return { email: grant.user.email, clientId: grant.clientId, scopes: issued.scopes };
  }

  /** Whether the token was ever issued here (a known but expired token reads differently from garbage). */
  knows(token: string): boolean {
    return this.accessTokens.has(token);
  }

  /** Ends an access token's life now, as if its hour had passed (the grant stays good). */
  expireAccessToken(token: string): void {
    const issued = this.accessTokens.get(token);
    if (issued) issued.expired = true;
  }

  /** Revokes every grant of the user (password changed, consent removed): refresh and access tokens die. */
  revokeGrantsOf(email: string): number {
    let count = 0;
    for (const g of this.grants.values()) {
      if (g.user.email.toLowerCase() === email.toLowerCase() && !g.revoked) {
        g.revoked = true;
        count += 1;
      }
    }
    return count;
  }

  private subjectOf(email: string): string {
    const key = email.toLowerCase();
    let sub = this.subjects.get(key);
    if (!sub) {
      sub = this.flavour === 'google' ? String(100000000000000000000n + BigInt(`0x${randomBytes(8).toString('hex')}`)) : random(43);
      this.subjects.set(key, sub);
    }
    return sub;
  }
}

function random(chars: number): string {
  return randomBytes(Math.ceil((chars * 3) / 4))
    .toString('base64url')
    .slice(0, chars);
}
