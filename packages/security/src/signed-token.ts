import { createHmac, hkdfSync, timingSafeEqual } from 'node:crypto';
import type { KeyMaterial } from './secret-box';

/**
 * Compact signed tokens (`payload.keyId.mac`, base64url) for tenant access tokens and open-pixel
 * links. Each purpose signs with its own HKDF-derived key, so a pixel token is never a valid tenant
 * token. Verification accepts any configured key (rotation).
 */
export class TokenSigner {
  private readonly derived = new Map<string, Buffer>();

  constructor(
    private readonly keys: KeyMaterial[],
    private readonly purpose: string,
  ) {
    for (const k of keys) this.derived.set(k.id, Buffer.from(hkdfSync('sha256', k.key, Buffer.alloc(0), `mailroom:${purpose}`, 32)));
  }

  sign(payload: object): string {
    const kid = this.keys[0].id;
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${kid}.${this.mac(kid, body)}`;
  }

  /** The payload, or null for anything malformed, forged or signed by an unknown key. */
  verify<T>(token: string): T | null {
    const parts = token.split('.');
    if (parts.length !== 3) return null;
    const [body, kid, mac] = parts;
    if (!this.derived.has(kid)) return null;
    const expected = Buffer.from(this.mac(kid, body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
    try {
      return JSON.parse(Buffer.from(body, 'base64url').toString('utf8')) as T;
    } catch {
      return null;
    }
  }

  private mac(kid: string, body: string): string {
    return createHmac('sha256', this.derived.get(kid)!).update(body).digest('base64url');
  }
}

export function safeEqual(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
