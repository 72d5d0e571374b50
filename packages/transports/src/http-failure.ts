/** Shared reading of HTTP answers from provider APIs: which statuses are worth retrying, and when. */

/** 429 and 5xx are temporary; 408 (request timeout) too. Everything else 4xx is permanent. */
export function isRetryableHttpStatus(status: number): boolean {
  return status === 408 || status === 429 || status >= 500;
}

/** Network-level failures (no HTTP answer) are always temporary. */
export const NETWORK_ERROR_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ESOCKETTIMEDOUT',
  'ERR_NETWORK',
  'EPROTO',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/**
 * `Retry-After` as milliseconds: either delta-seconds or an HTTP date. Capped at one hour so a
 * provider cannot park a job for a day; undefined when absent or unreadable.
 */
export function parseRetryAfter(value: string | string[] | undefined | null, now: number = Date.now()): number | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  if (!v) return undefined;
  const cap = 3_600_000;
  if (/^\d+(\.\d+)?$/.test(v.trim())) return Math.min(Math.round(parseFloat(v) * 1000), cap);
  const at = Date.parse(v);
  if (Number.isNaN(at)) return undefined;
  return Math.min(Math.max(0, at - now), cap);
}
