import Mailjet, { Client } from 'node-mailjet';
import { DeliveryError, hintOf } from '@mailroom/domain';

/** What reaching one Mailjet account takes. The keys live in this object only, never in logs or errors. */
export interface MailjetConnection {
  publicKey: string;
  privateKey: string;
  /** `https://api.mailjet.com`, or a local emulator such as `https://127.0.0.1:PORT` (https only: see below). */
  baseUrl: string;
  /** node-mailjet 6.0.11 has no default timeout: every request gets this one. */
  timeoutMs: number;
}

/** The pino-compatible logger the transport writes to (an app's child logger, with tenantId/emailId). */
export interface MailjetLogger {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
  debug(obj: object, msg?: string): void;
}

/**
 * node-mailjet builds every URL as `Request.protocol + host + version + ...`, and `Request.protocol`
 * is a process-wide static `'https://'`. We never touch that global: the base URL must be https and
 * only its `host[:port][/path]` is handed to the SDK as `config.host`.
 */
export function mailjetHostOf(baseUrl: string): string {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw configError(`"${baseUrl}" is not a URL`);
  }
  if (url.protocol !== 'https:') throw configError(`${url.protocol}// is not supported: node-mailjet only speaks https`);
  if (url.username || url.password || url.search || url.hash)
    throw configError('the Mailjet API URL must not carry credentials, a query or a fragment');
  return url.host + url.pathname.replace(/\/+$/, '');
}

function configError(problem: string): DeliveryError {
  return new DeliveryError(`Mailjet API URL refused: ${problem}`, {
    code: 'ECONFIG',
    retryable: false,
    ...hintOf('mailjet.apiUrl', 'Set MAILJET_API_URL to https://api.mailjet.com (or an https emulator in tests).'),
  });
}

/** A fresh SDK client for one account: never shared between tenants, so keys never cross. */
export function connectMailjet(c: MailjetConnection, version: 'v3' | 'v3.1'): Client {
  return Mailjet.apiConnect(c.publicKey, c.privateKey, {
    config: { host: mailjetHostOf(c.baseUrl), version },
    options: { timeout: c.timeoutMs },
  });
}
