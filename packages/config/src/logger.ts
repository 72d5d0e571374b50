import pino, { Logger } from 'pino';

/**
 * The apps' pino logger. Libraries take a logger, only apps build one. The redact list is the last
 * line of defence: secrets should never reach a log call in the first place.
 */
export const REDACT_PATHS = [
  'password',
  '*.password',
  '*.*.password',
  'privateApiKey',
  '*.privateApiKey',
  '*.*.privateApiKey',
  'publicApiKey',
  '*.publicApiKey',
  '*.*.publicApiKey',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'req.headers.authorization',
  'req.headers.cookie',
  'webhookVerificationKey',
  '*.webhookVerificationKey',
  'verificationKey',
  '*.verificationKey',
  'refreshToken',
  '*.refreshToken',
  '*.*.refreshToken',
  'accessToken',
  '*.accessToken',
  '*.*.accessToken',
  '*.*.verificationKey',
  'token',
  '*.token',
];

/**
 * Lines go to stdout without blocking (decision 0042): pino's default destination writes each line with
 * a write(2) on the event loop, which under load was a tenth of the worker's time (a log line per
 * request and per send). Asynchronous, a line is written at once when the stream is idle, and lines
 * that come while a write is in flight go together in the next; what is buffered is flushed
 * synchronously on exit (pino registers that), so only a SIGKILL can lose the last lines.
 */
export function createLogger(app: string, level: string): Logger {
  return pino({ name: app, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } }, pino.destination({ dest: 1, sync: false }));
}
export type { Logger };
