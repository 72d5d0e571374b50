/** The socket-level codes of a Redis that is not there (down, restarting, unreachable). */
const CONNECTION_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
]);
/** What ioredis and BullMQ say, without a code, when a command meets a connection that is down. */
const CONNECTION_MESSAGES =
  /Connection is closed|Stream isn't writeable|connect ETIMEDOUT|Reached the max retries per request limit|Command timed out/i;

/**
 * Whether an error only says that Redis is not reachable right now. During an outage a BullMQ worker
 * reports one on every reconnect attempt; the app says "redis connection lost" once (open-backends.ts)
 * and /readyz says it for as long as it lasts, so these belong at debug. Anything else a worker
 * reports (a Lua script error, a missing key, a bug) is a real error.
 */
export function isRedisConnectionError(e: unknown): boolean {
  // By shape, not instanceof: a socket's errors may come from another realm (node core under jest).
  if (typeof e !== 'object' || e === null) return false;
  const { code, name, message, errors } = e as { code?: unknown; name?: unknown; message?: unknown; errors?: unknown };
  if (typeof code === 'string' && CONNECTION_CODES.has(code)) return true;
  if (name === 'MaxRetriesPerRequestError') return true;
  // An AggregateError (a host with several addresses) carries the connection errors inside.
  if (Array.isArray(errors) && errors.length > 0 && errors.every(isRedisConnectionError)) return true;
  return typeof message === 'string' && CONNECTION_MESSAGES.test(message);
}
