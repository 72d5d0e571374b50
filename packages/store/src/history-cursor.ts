/**
 * The history's opaque keyset cursor: base64url of `[createdAt, id]` of the last email of a page.
 * The next page starts strictly after that position in (createdAt desc, id desc) order, so emails
 * created meanwhile (newer) never shift or repeat what follows.
 */
export interface HistoryPosition {
  createdAt: string;
  id: string;
}

/** A cursor this service did not issue (or one mangled on the way): the API answers 400. */
export class InvalidCursorError extends Error {
  override readonly name = 'InvalidCursorError';
  readonly code = 'invalid_cursor';

  constructor(message = 'cursor is not valid: use the nextCursor of a previous page, or start again without one') {
    super(message);
  }
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeHistoryCursor(position: HistoryPosition): string {
  return Buffer.from(JSON.stringify([position.createdAt, position.id]), 'utf8').toString('base64url');
}

export function decodeHistoryCursor(cursor: string): HistoryPosition {
  if (!BASE64URL.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 2) throw new InvalidCursorError();
  const [createdAt, id] = parsed as unknown[];
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw new InvalidCursorError();
  if (typeof id !== 'string' || id.length === 0) throw new InvalidCursorError();
  return { createdAt, id };
}
