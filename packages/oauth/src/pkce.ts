import { createHash, randomBytes } from 'node:crypto';

/** RFC 7636 PKCE with S256: the verifier stays with us, only its hash travels through the browser. */
export interface PkcePair {
  /** 43 characters of base64url (32 random bytes), within RFC 7636's 43..128 unreserved characters. */
  verifier: string;
  challenge: string;
  method: 'S256';
}

export function createPkcePair(): PkcePair {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: pkceChallengeOf(verifier), method: 'S256' };
}

export function pkceChallengeOf(verifier: string): string {
  return createHash('sha256').update(verifier, 'ascii').digest('base64url');
}
