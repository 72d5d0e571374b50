import { createHash } from 'node:crypto';
import { ConfigError } from './config-error';

/** The keys and secrets the environment names, parsed and checked: ENCRYPTION_KEYS and CALLBACK_SECRETS. */

export interface EncryptionKey {
  id: string;
  key: Buffer;
}

export const DEV_ENCRYPTION_KEY: EncryptionKey = {
  id: 'dev',
  key: createHash('sha256').update('mailroom development key, never for production').digest(),
};

export function parseEncryptionKeys(raw: string): EncryptionKey[] {
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((entry) => {
      const i = entry.indexOf(':');
      if (i <= 0) throw new ConfigError('ENCRYPTION_KEYS', 'each entry must be keyId:base64-of-32-bytes');
      const id = entry.slice(0, i);
      if (!/^[A-Za-z0-9_-]{1,32}$/.test(id))
        throw new ConfigError('ENCRYPTION_KEYS', `key id "${id}" must be 1-32 letters, digits, "_" or "-"`);
      const key = Buffer.from(entry.slice(i + 1), 'base64');
      if (key.length !== 32)
        throw new ConfigError('ENCRYPTION_KEYS', `key "${id}" must be 32 bytes once base64-decoded (got ${key.length})`);
      return { id, key };
    });
}

const WHSEC = 'whsec_';
const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/** Standard Webhooks secrets: `whsec_` + base64 of 24 to 64 random bytes, comma-separated. */
export function parseCallbackSecrets(raw: string): Buffer[] {
  const entries = raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  if (entries.length === 0) throw new ConfigError('CALLBACK_SECRETS', 'needs at least one whsec_ secret');
  return entries.map((entry, i) => {
    const which = `secret ${i + 1}`;
    if (!entry.startsWith(WHSEC)) throw new ConfigError('CALLBACK_SECRETS', `${which} must start with ${WHSEC}`);
    const body = entry.slice(WHSEC.length);
    if (!BASE64.test(body)) throw new ConfigError('CALLBACK_SECRETS', `${which} must be ${WHSEC} followed by base64`);
    const key = Buffer.from(body, 'base64');
    if (key.length < 24 || key.length > 64)
      throw new ConfigError('CALLBACK_SECRETS', `${which} must be 24 to 64 bytes once base64-decoded (got ${key.length})`);
    return key;
  });
}
