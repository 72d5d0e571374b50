import { createHash } from 'node:crypto';
import type { Cluster, Redis } from 'ioredis';
import { oauthDeliveryError } from '../oauth-delivery-error';
import { isOAuthError, OAuthError, OAuthFailureKind } from '../oauth-error';
import type { OAuthVendor, OAuthVendorName } from '../oauth-vendors';
import type { TokenEndpoint } from '../token-endpoint';
import type { OAuthGrant, OAuthGrantHandle } from './oauth-grant';
import { RedisLock } from './redis-lock';

export interface TokenManagerLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
}

export interface AccessTokenManagerOptions {
  redis: Redis | Cluster;
  /** The deployment's key prefix (QUEUE_PREFIX + ':'); keys are `<prefix>oauth:refresh:<tenant>` and `<prefix>oauth:dead:...`. */
  keyPrefix: string;
  vendors: Partial<Record<OAuthVendorName, OAuthVendor>>;
  tokenEndpoint: TokenEndpoint;
  /** Refresh when less than this remains; default 5 minutes. */
  refreshMarginMs?: number;
  /** How long one refresh may hold the lock; default 30 s (more than the token endpoint's timeout). */
  lockTtlMs?: number;
  /** How long a caller waits for another's refresh before giving up (retryable); default lockTtlMs + 5 s. */
  waitTimeoutMs?: number;
  /** How often a waiter looks again; default 50 ms. */
  pollMs?: number;
  /** How long a refresh token the vendor refused is remembered as dead; default 10 minutes. */
  deadGrantTtlMs?: number;
  now?: () => number;
  logger?: TokenManagerLogger;
}

/** What the transports ask for a token through (the transports' AccessTokenSource); errors are DeliveryErrors. */
export interface TenantAccessTokens {
  getAccessToken(options?: { rejected?: string }): Promise<string>;
}

interface DeadGrant {
  kind: OAuthFailureKind;
  vendor?: OAuthVendorName;
  status?: number;
  oauthError?: string;
  description?: string;
}

/**
 * A valid access token for a tenant's connected mailbox, refreshed when less than 5 minutes remain,
 * by one process at a time per tenant across every worker (a Redis lock). Whoever waits re-reads
 * the grant the refresher stored instead of refreshing again. A refresh token the vendor refused
 * (invalid_grant) is remembered for a while, so the other waiting sends fail at once without
 * asking the vendor again. Secrets are never logged: ids, vendor, outcome and timings only.
 */
export class AccessTokenManager {
  private readonly inFlight = new Map<string, Promise<string>>();
  private readonly marginMs: number;
  private readonly lockTtlMs: number;
  private readonly waitTimeoutMs: number;
  private readonly pollMs: number;
  private readonly deadGrantTtlMs: number;
  private readonly now: () => number;

  constructor(private readonly options: AccessTokenManagerOptions) {
    this.marginMs = options.refreshMarginMs ?? 5 * 60_000;
    this.lockTtlMs = options.lockTtlMs ?? 30_000;
    this.waitTimeoutMs = options.waitTimeoutMs ?? this.lockTtlMs + 5_000;
    this.pollMs = options.pollMs ?? 50;
    this.deadGrantTtlMs = options.deadGrantTtlMs ?? 10 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /**
   * A token good for at least the margin. `rejected`: a token the mail server just refused, so
   * even if it looks fresh a newer one is wanted (one refresh, shared by all who saw it refused).
   * Throws OAuthError (kind `reconnect_required` when the grant is dead).
   */
  async getAccessToken(grant: OAuthGrantHandle, options: { rejected?: string } = {}): Promise<string> {
    const stored = await grant.read();
    if (this.usable(stored, options.rejected)) return stored.accessToken!;
    const joined = this.inFlight.get(grant.tenantId);
    if (joined) {
      const token = await joined;
      if (token !== options.rejected) return token;
    }
    const refresh = this.refreshUnderLock(grant, options.rejected).finally(() => {
      if (this.inFlight.get(grant.tenantId) === refresh) this.inFlight.delete(grant.tenantId);
    });
    this.inFlight.set(grant.tenantId, refresh);
    return refresh;
  }

  /** The tenant's tokens as a transport wants them: OAuth failures become DeliveryErrors. */
  tokensFor(grant: OAuthGrantHandle): TenantAccessTokens {
    return {
      getAccessToken: (options) =>
        this.getAccessToken(grant, options).catch((e: unknown) => {
          throw isOAuthError(e) ? oauthDeliveryError(e) : e;
        }),
    };
  }

  private async refreshUnderLock(grant: OAuthGrantHandle, rejected: string | undefined): Promise<string> {
    const deadline = this.now() + this.waitTimeoutMs;
    const lockKey = `${this.options.keyPrefix}oauth:refresh:${grant.tenantId}`;
    for (;;) {
      const lock = await RedisLock.acquire(this.options.redis, lockKey, this.lockTtlMs);
      if (lock) {
        try {
          // Someone may have refreshed between our read and the lock: read again under it.
          const stored = await grant.read();
          if (this.usable(stored, rejected)) return stored.accessToken!;
          return await this.refresh(grant, stored);
        } finally {
          await lock.release().catch(() => undefined);
        }
      }
      await sleep(this.pollMs);
      const stored = await grant.read();
      if (this.usable(stored, rejected)) return stored.accessToken!;
      await this.throwIfDead(grant.tenantId, stored);
      if (this.now() > deadline) {
        throw new OAuthError(`another worker's refresh of the access token took longer than ${this.waitTimeoutMs} ms`, {
          kind: 'temporary',
          vendor: stored.vendor,
        });
      }
    }
  }

  private async refresh(grant: OAuthGrantHandle, stored: OAuthGrant): Promise<string> {
    await this.throwIfDead(grant.tenantId, stored);
    const vendor = this.options.vendors[stored.vendor];
    if (!vendor) {
      throw new OAuthError(`the platform has no ${stored.vendor} OAuth app configured any more`, {
        kind: 'client_rejected',
        vendor: stored.vendor,
      });
    }
    const log = { tenantId: grant.tenantId, vendor: stored.vendor, via: stored.via };
    const startedAt = this.now();
    let tokens;
    try {
      tokens = await this.options.tokenEndpoint.refresh(vendor, { refreshToken: stored.refreshToken, via: stored.via });
    } catch (e) {
      if (isOAuthError(e) && e.kind === 'reconnect_required') await this.rememberDead(grant.tenantId, stored, e);
      this.options.logger?.warn(
        { ...log, kind: isOAuthError(e) ? e.kind : 'unexpected', status: isOAuthError(e) ? e.status : undefined },
        'OAuth access token refresh failed',
      );
      throw e;
    }
    const rotated = tokens.refreshToken !== undefined && tokens.refreshToken !== stored.refreshToken;
    await grant.write({
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      refreshToken: rotated ? tokens.refreshToken! : stored.refreshToken,
      refreshTokenRotated: rotated,
    });
    this.options.logger?.info(
      { ...log, rotated, ms: this.now() - startedAt, expiresAt: new Date(tokens.expiresAt).toISOString() },
      'OAuth access token refreshed',
    );
    return tokens.accessToken;
  }

  private usable(grant: OAuthGrant, rejected: string | undefined): boolean {
    return !!grant.accessToken && grant.accessToken !== rejected && (grant.accessTokenExpiresAt ?? 0) - this.now() > this.marginMs;
  }

  private deadKey(tenantId: string, refreshToken: string): string {
    // A hash names the refresh token: a reconnect brings a new one, which is not dead.
    const id = createHash('sha256').update(refreshToken).digest('base64url').slice(0, 22);
    return `${this.options.keyPrefix}oauth:dead:${tenantId}:${id}`;
  }

  private async rememberDead(tenantId: string, grant: OAuthGrant, e: OAuthError): Promise<void> {
    const dead: DeadGrant = { kind: e.kind, vendor: e.vendor, status: e.status, oauthError: e.oauthError, description: e.description };
    await this.options.redis
      .set(this.deadKey(tenantId, grant.refreshToken), JSON.stringify(dead), 'PX', this.deadGrantTtlMs)
      .catch(() => undefined);
  }

  private async throwIfDead(tenantId: string, grant: OAuthGrant): Promise<void> {
    const raw = await this.options.redis.get(this.deadKey(tenantId, grant.refreshToken));
    if (!raw) return;
    const dead = JSON.parse(raw) as DeadGrant;
    throw new OAuthError(
      `${dead.vendor ?? 'the vendor'} refused this connection's refresh token (${dead.oauthError ?? dead.status})`,
      dead,
    );
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
