import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

export interface KeyMaterial {
  id: string;
  key: Buffer;
}

/**
 * AES-256-GCM for secrets at rest. Sealed form: `keyId:iv:tag:ciphertext` (base64url parts). The first
 * key seals; any listed key opens, so keys rotate by prepending a new one. The tenant id is bound as
 * additional authenticated data: a secret copied to another tenant's row does not open.
 */
export class SecretBox {
  private readonly byId: Map<string, Buffer>;

  constructor(private readonly keys: KeyMaterial[]) {
    if (keys.length === 0) throw new Error('SecretBox needs at least one key');
    this.byId = new Map(keys.map((k) => [k.id, k.key]));
  }

  seal(plaintext: string, context: string): string {
    const { id, key } = this.keys[0];
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(Buffer.from(context));
    const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return [id, iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
  }

  open(sealed: string, context: string): string {
    const [id, iv, tag, ct] = sealed.split(':');
    const key = this.byId.get(id);
    if (!key || !iv || !tag || ct === undefined) throw new SecretUnavailableError(`secret sealed with unknown key "${id}"`);
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      throw new SecretUnavailableError('secret failed authentication (wrong key or tampered)');
    }
  }

  /** Whether a sealed value was sealed with an older key and should be re-sealed. */
  needsRotation(sealed: string): boolean {
    return sealed.split(':')[0] !== this.keys[0].id;
  }
}

export class SecretUnavailableError extends Error {
  override readonly name = 'SecretUnavailableError';
}
