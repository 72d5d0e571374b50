import { createHmac, hkdfSync } from 'node:crypto';
import type { KeyMaterial } from './secret-box';

/**
 * Who loaded an email's open pixel, as an opaque, keyed fingerprint of user agent and IP: the history
 * can tell "the same client again within a minute" without ever holding an IP address. Keyed with an
 * HKDF-derived key of the first ENCRYPTION_KEYS entry (an unkeyed hash of an IPv4 address is reversed
 * by trying all 2^32), and salted with the email id, so one reader is not linkable across emails.
 */
export class OpenClientFingerprint {
  private readonly key: Buffer;

  constructor(keys: KeyMaterial[]) {
    this.key = Buffer.from(hkdfSync('sha256', keys[0].key, Buffer.alloc(0), 'mailroom:open-client', 32));
  }

  of(emailId: string, ip: string | undefined, userAgent: string | undefined): string {
    return createHmac('sha256', this.key)
      .update(`${emailId}\0${ip ?? ''}\0${userAgent ?? ''}`)
      .digest('base64url')
      .slice(0, 16);
  }
}
