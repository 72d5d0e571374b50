import { randomBytes } from 'node:crypto';
import { KeyMaterial, SecretBox, TokenSigner } from '@mailroom/security';
import { createPkcePair } from '../pkce';
import type { OAuthVendorName, OAuthVia } from '../oauth-vendors';
import type { OAuthStateStore } from './oauth-state-store';

/** What the start route knew, kept for the callback (no secret in it). */
export interface PendingConnection {
  tenantId: string;
  vendor: OAuthVendorName;
  via: OAuthVia;
  /** Where to send the admin's browser afterwards (already checked against OAUTH_RETURN_HOSTS). */
  returnUrl?: string;
  /** Overrides of the preset's SMTP server, kept with the connection. */
  smtp?: { host?: string; port?: number; tls?: boolean };
}

export interface IssuedState {
  /** The `state` parameter: signed, names the tenant and a nonce, carries no secret. */
  state: string;
  /** The PKCE challenge for the authorize URL; its verifier stays server-side. */
  codeChallenge: string;
  expiresAt: number;
}

export interface RedeemedState extends PendingConnection {
  /** The PKCE verifier for the code exchange. */
  codeVerifier: string;
}

export type OAuthStateFailure = 'forged' | 'expired' | 'used';

/** A callback whose state is not one we issued, is too old, or was already used: refuse it (400). */
export class OAuthStateError extends Error {
  override readonly name = 'OAuthStateError';
  constructor(
    readonly reason: OAuthStateFailure,
    message: string,
  ) {
    super(message);
  }
}

interface StateClaims {
  n: string;
  t: string;
  exp: number;
}

interface StoredState extends PendingConnection {
  /** The PKCE verifier, sealed with the nonce as context. */
  verifier: string;
}

export interface OAuthStatesOptions {
  /** ENCRYPTION_KEYS: signs the state (an HKDF-derived key of its own) and seals the verifier. */
  keys: KeyMaterial[];
  store: OAuthStateStore;
  /** Default 10 minutes. */
  ttlMs?: number;
  now?: () => number;
}

/**
 * The `state` of the authorization-code flow (RFC 6749 §10.12, RFC 9700 §4.7): signed with our key
 * and bound to the tenant, valid for 10 minutes, usable once. The pending connection and the PKCE
 * verifier wait in the store under a random nonce; the state only names that nonce, so the verifier
 * never travels through the browser or the vendor, in any form (docs/decisions/0025).
 */
export class OAuthStates {
  private readonly signer: TokenSigner;
  private readonly box: SecretBox;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: OAuthStatesOptions) {
    this.signer = new TokenSigner(options.keys, 'oauth-state');
    this.box = new SecretBox(options.keys);
    this.ttlMs = options.ttlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  async issue(pending: PendingConnection): Promise<IssuedState> {
    const nonce = randomBytes(16).toString('base64url');
    const pkce = createPkcePair();
    const expiresAt = this.now() + this.ttlMs;
    const stored: StoredState = { ...pending, verifier: this.box.seal(pkce.verifier, verifierContext(nonce)) };
    if (!(await this.options.store.put(nonce, JSON.stringify(stored), this.ttlMs))) {
      throw new Error('OAuth state nonce collision'); // 128 random bits: never, short of a broken RNG
    }
    const state = this.signer.sign({ n: nonce, t: pending.tenantId, exp: expiresAt } satisfies StateClaims);
    return { state, codeChallenge: pkce.challenge, expiresAt };
  }

  /** The pending connection, once: a second redeem of the same state is refused as `used`. */
  async redeem(state: string): Promise<RedeemedState> {
    const claims = this.signer.verify<StateClaims>(state);
    if (!claims || typeof claims.n !== 'string' || typeof claims.t !== 'string' || typeof claims.exp !== 'number') {
      throw new OAuthStateError('forged', 'the state is not one Mailroom issued');
    }
    if (claims.exp <= this.now()) {
      await this.options.store.take(claims.n);
      throw new OAuthStateError('expired', 'the connection was started more than 10 minutes ago: start it again');
    }
    const raw = await this.options.store.take(claims.n);
    if (raw === undefined) throw new OAuthStateError('used', 'this connection link was already used: start the connection again');
    const stored = JSON.parse(raw) as StoredState;
    if (stored.tenantId !== claims.t) throw new OAuthStateError('forged', 'the state does not match its tenant');
    const { verifier, ...pending } = stored;
    return { ...pending, codeVerifier: this.box.open(verifier, verifierContext(claims.n)) };
  }
}

const verifierContext = (nonce: string) => `oauth-state:${nonce}:pkce-verifier`;
