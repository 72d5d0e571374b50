import FormData from 'form-data';
import Mailgun from 'mailgun.js';

/** What reaches one tenant's Mailgun account: the caller resolves `baseUrl` from the region (US or EU URL from config). */
export interface MailgunConnection {
  apiKey: string;
  /** `https://api.mailgun.net` or `https://api.eu.mailgun.net` (or an emulator), without `/v3`: the SDK adds the version. */
  baseUrl: string;
  timeoutMs: number;
}

export type MailgunClient = ReturnType<Mailgun['client']>;

/**
 * A fresh mailgun.js client for one tenant: its own key, URL and timeout, shared with nobody.
 * `form-data` builds the multipart bodies (the SDK's Node path, which keeps attachment bytes and types).
 */
export function createMailgunClient(connection: MailgunConnection): MailgunClient {
  return new Mailgun(FormData).client({
    username: 'api',
    key: connection.apiKey,
    url: connection.baseUrl.replace(/\/+$/, ''),
    timeout: connection.timeoutMs,
  });
}
