import { createHash, randomBytes } from 'node:crypto';
import type { EnqueueEmailInput } from '@mailroom/domain';

/** Where each attachment's content goes in the JSON of the rest: random per process, never shown to anybody. */
const PLACEHOLDER = `mailroom-attachment-${randomBytes(12).toString('base64url')}`;

/**
 * The request's fingerprint: a reused Idempotency-Key with a different body is refused, not silently
 * merged. It is sha256 of `JSON.stringify(input)`, base64url: records stored before keep matching their
 * replays. What changed is how it is computed: the attachments' base64 (nearly all of the bytes) is
 * not copied into one long JSON string first. The JSON of the rest is built with a placeholder where
 * each content goes, and the hash is fed the pieces and the contents in order. A content the schema let
 * through holds only base64 characters, which JSON leaves as they are, unless it has line breaks
 * (escaped in JSON): then, or if the placeholder shows up anywhere else, the whole JSON is hashed as before.
 */
export function requestHash(input: EnqueueEmailInput): string {
  const hash = createHash('sha256');
  const contents = input.attachments.map((a) => a.content);
  if (contents.length === 0 || !contents.every(verbatimInJson)) return hash.update(JSON.stringify(input)).digest('base64url');
  const json = JSON.stringify({ ...input, attachments: input.attachments.map((a) => ({ ...a, content: PLACEHOLDER })) });
  const pieces = json.split(PLACEHOLDER);
  if (pieces.length !== contents.length + 1) return hash.update(JSON.stringify(input)).digest('base64url');
  pieces.forEach((piece, i) => {
    hash.update(piece);
    if (i < contents.length) hash.update(contents[i], 'latin1');
  });
  return hash.digest('base64url');
}

/** Base64 as the schema admits it is ASCII that JSON writes as it is, except CR and LF. */
function verbatimInJson(base64: string): boolean {
  return base64.indexOf('\n') === -1 && base64.indexOf('\r') === -1;
}
