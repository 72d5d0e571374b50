import { randomBytes } from 'node:crypto';
import { PixelTokens, SecretBox, SecretUnavailableError, TenantTokens } from './index';

const k = (id: string) => ({ id, key: randomBytes(32) });

describe('SecretBox', () => {
  it('seals with the first key and opens after rotation', () => {
    const old = k('old');
    const sealed = new SecretBox([old]).seal('hunter2', 'tenant-a');
    expect(sealed).not.toContain('hunter2');
    const rotated = new SecretBox([k('new'), old]);
    expect(rotated.open(sealed, 'tenant-a')).toBe('hunter2');
    expect(rotated.needsRotation(sealed)).toBe(true);
  });
  it('refuses another tenant context, a tampered value and an unknown key', () => {
    const box = new SecretBox([k('a')]);
    const sealed = box.seal('pw', 'tenant-a');
    expect(() => box.open(sealed, 'tenant-b')).toThrow(SecretUnavailableError);
    const parts = sealed.split(':');
    parts[3] = Buffer.from('x').toString('base64url');
    expect(() => box.open(parts.join(':'), 'tenant-a')).toThrow(SecretUnavailableError);
    expect(() => new SecretBox([k('b')]).open(sealed, 'tenant-a')).toThrow(/unknown key/);
  });
});

describe('tokens', () => {
  const keys = [k('a')];
  it('a tenant token reaches its tenant until it expires', () => {
    const t = new TenantTokens(keys, 60);
    const { token, expiresAt } = t.mint('acme', 1_000_000);
    expect(t.verify(token, 1_000_000)).toBe('acme');
    expect(t.verify(token, Date.parse(expiresAt) + 1)).toBeNull();
  });
  it('forged tokens and tokens of another purpose are refused', () => {
    const t = new TenantTokens(keys, 60);
    const { token } = t.mint('acme');
    const forged = token.replace(/\.[^.]+$/, '.AAAA');
    expect(t.verify(forged)).toBeNull();
    const pixel = new PixelTokens(keys).mint('acme', 'em_1');
    expect(t.verify('mrt_' + pixel)).toBeNull();
    expect(new PixelTokens(keys).verify(pixel)).toEqual({ tenantId: 'acme', emailId: 'em_1' });
    expect(new PixelTokens([k('a')]).verify(pixel)).toBeNull();
  });
});
