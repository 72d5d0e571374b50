import { InvalidCursorError } from './history-cursor';

/**
 * The suppression list's keyset cursor: base64url of `[createdAt, address]` of the last entry of a
 * page; the next page starts strictly after it in (createdAt desc, address desc) order.
 */
export interface SuppressionPosition {
  createdAt: string;
  address: string;
}

const BASE64URL = /^[A-Za-z0-9_-]+$/;

export function encodeSuppressionCursor(position: SuppressionPosition): string {
  return Buffer.from(JSON.stringify(['s', position.createdAt, position.address]), 'utf8').toString('base64url');
}

export function decodeSuppressionCursor(cursor: string): SuppressionPosition {
  if (!BASE64URL.test(cursor)) throw new InvalidCursorError();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw new InvalidCursorError();
  }
  if (!Array.isArray(parsed) || parsed.length !== 3 || parsed[0] !== 's') throw new InvalidCursorError();
  const [, createdAt, address] = parsed as unknown[];
  if (typeof createdAt !== 'string' || Number.isNaN(Date.parse(createdAt))) throw new InvalidCursorError();
  if (typeof address !== 'string' || address.length === 0) throw new InvalidCursorError();
  return { createdAt, address };
}

/** The list query as both adapters run it: addresses lower-cased, the cursor decoded. */
export interface SuppressionFilter {
  tenantId: string;
  address?: string;
  addressPrefix?: string;
  reason?: string;
  after?: SuppressionPosition;
  now: string;
  limit: number;
}

export function toSuppressionFilter(
  tenantId: string,
  query: { address?: string; addressPrefix?: string; reason?: string; limit: number; cursor?: string },
  now: string,
): SuppressionFilter {
  return {
    tenantId,
    address: query.address?.trim().toLowerCase(),
    addressPrefix: query.addressPrefix?.trim().toLowerCase(),
    reason: query.reason,
    after: query.cursor === undefined ? undefined : decodeSuppressionCursor(query.cursor),
    now,
    limit: query.limit,
  };
}

/** The end of a prefix range: every string starting with `prefix` sorts at or after it and before this. */
export function prefixEnd(prefix: string): string {
  return `${prefix}\uffff`;
}

/** Builds the page from rows fetched with `limit + 1`. */
export function toSuppressionPage<T extends SuppressionPosition>(rows: T[], limit: number): { items: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { items: rows, nextCursor: null };
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: encodeSuppressionCursor({ createdAt: last.createdAt, address: last.address }) };
}
