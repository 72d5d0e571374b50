import { generateKeyPairSync, JsonWebKey, KeyObject, randomBytes, sign } from 'node:crypto';

/**
 * Signs id tokens as a vendor does: a JWT, RS256, with a 2048-bit RSA key generated per emulator and
 * published as a JWKS, so a test may check a signature even though Mailroom need not.
 */
export class IdTokenSigner {
  readonly kid = randomBytes(8).toString('hex');
  private readonly privateKey: KeyObject;
  readonly publicJwk: JsonWebKey;

  constructor() {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey;
    this.publicJwk = { ...publicKey.export({ format: 'jwk' }), kid: this.kid, use: 'sig', alg: 'RS256' };
  }

  sign(claims: Record<string, unknown>): string {
    const header = b64json({ alg: 'RS256', typ: 'JWT', kid: this.kid });
    const payload = b64json(claims);
    const signature = sign('sha256', Buffer.from(`${header}.${payload}`), this.privateKey).toString('base64url');
    return `${header}.${payload}.${signature}`;
  }

  jwks(): { keys: JsonWebKey[] } {
    return { keys: [this.publicJwk] };
  }
}

function b64json(value: object): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}
