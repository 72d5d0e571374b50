import type { KeyMaterial } from './secret-box';
import { TokenSigner } from './signed-token';

interface TenantClaims {
  t: string;
  exp: number;
}

/** Short-lived tokens that reach one tenant only. */
export class TenantTokens {
  private readonly signer: TokenSigner;
  constructor(
    keys: KeyMaterial[],
    private readonly ttlSeconds: number,
  ) {
    this.signer = new TokenSigner(keys, 'tenant-token');
  }

  mint(tenantId: string, now = Date.now()): { token: string; expiresAt: string } {
    const exp = Math.floor(now / 1000) + this.ttlSeconds;
    return { token: `mrt_${this.signer.sign({ t: tenantId, exp } satisfies TenantClaims)}`, expiresAt: new Date(exp * 1000).toISOString() };
  }

  /** The tenant id the token reaches, or null when forged, malformed or expired. */
  verify(token: string, now = Date.now()): string | null {
    if (!token.startsWith('mrt_')) return null;
    const claims = this.signer.verify<TenantClaims>(token.slice(4));
    if (!claims || typeof claims.t !== 'string' || typeof claims.exp !== 'number') return null;
    return claims.exp * 1000 > now ? claims.t : null;
  }
}

/** Open-pixel tokens: which email was opened. They never expire (mail is read years later). */
export class PixelTokens {
  private readonly signer: TokenSigner;
  constructor(keys: KeyMaterial[]) {
    this.signer = new TokenSigner(keys, 'open-pixel');
  }
  mint(tenantId: string, emailId: string): string {
    return this.signer.sign({ t: tenantId, e: emailId });
  }
  verify(token: string): { tenantId: string; emailId: string } | null {
    const c = this.signer.verify<{ t: string; e: string }>(token);
    return c && typeof c.t === 'string' && typeof c.e === 'string' ? { tenantId: c.t, emailId: c.e } : null;
  }
}
