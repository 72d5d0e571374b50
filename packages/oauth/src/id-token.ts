import type { OAuthVendor } from './oauth-vendors';

export class IdTokenError extends Error {
  override readonly name = 'IdTokenError';
}

/**
 * The claims of an id token, read WITHOUT checking its signature. That is sound only for an id token
 * we received ourselves, in the answer to our own code exchange, straight from the vendor's token
 * endpoint over TLS whose certificate Node verified (OpenID Connect Core §3.1.3.7, point 6: "the TLS
 * server validation MAY be used to validate the issuer in place of checking the token signature").
 * Never use this on an id token that came through a browser or any other third party.
 */
export function readIdTokenClaims(idToken: string): Record<string, unknown> {
  const parts = idToken.split('.');
  if (parts.length !== 3) throw new IdTokenError('the id token is not a JWT (header.payload.signature)');
  let claims: unknown;
  try {
    claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8'));
  } catch {
    throw new IdTokenError('the id token payload is not JSON');
  }
  if (typeof claims !== 'object' || claims === null || Array.isArray(claims))
    throw new IdTokenError('the id token payload is not an object');
  return claims as Record<string, unknown>;
}

const MAILBOX = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/**
 * The mailbox the tenant connected: Google's `email`, Microsoft's `preferred_username` (then `email`).
 * Checks that the token was issued to our app (`aud`), as a cheap guard against a mix-up.
 */
export function mailboxFromIdToken(vendor: OAuthVendor, idToken: string): string {
  const claims = readIdTokenClaims(idToken);
  const aud = claims.aud;
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(vendor.clientId))
    throw new IdTokenError(`the id token was issued to another client (aud ${JSON.stringify(aud)})`);
  if (vendor.name === 'google' && claims.email_verified === false) throw new IdTokenError('Google says this email address is not verified');
  for (const claim of vendor.mailboxClaims) {
    const value = claims[claim];
    if (typeof value === 'string' && MAILBOX.test(value.trim())) return value.trim();
  }
  throw new IdTokenError(`the id token names no mailbox (looked at ${vendor.mailboxClaims.join(', ')})`);
}
