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

export function createLogger(app: string, level: string): Logger {
  return pino({ name: app, level, redact: { paths: REDACT_PATHS, censor: '[redacted]' } });
}
export type { Logger };
