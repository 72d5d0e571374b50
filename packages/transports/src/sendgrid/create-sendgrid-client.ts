import { Client } from '@sendgrid/client';
import type { ClientRequest } from '@sendgrid/client/src/request';
import { MailService } from '@sendgrid/mail';

/** Where and how to reach one SendGrid account. The key stays inside the SDK client it configures. */
export interface SendgridConnection {
  apiKey: string;
  /** `https://api.sendgrid.com`, `https://api.eu.sendgrid.com`, or a local emulator. */
  baseUrl: string;
  timeoutMs: number;
}

/** Request defaults: the SDK merges them into every axios call, though its typing only names a few. */
type RequestDefaults = Partial<ClientRequest> & { timeout: number; transitional: { clarifyTimeoutError: boolean } };

/**
 * A fresh SDK client per tenant: never the `@sendgrid/mail` / `@sendgrid/client` singletons, which are
 * process-global and would mix tenants' keys. Order matters: `setApiKey()` resets the base URL to
 * api.sendgrid.com, so the base URL is set after it. The SDK has no default timeout; ours is explicit, and
 * axios reports it as `ETIMEDOUT` rather than the ambiguous `ECONNABORTED`.
 */
export function createSendgridClient(connection: SendgridConnection): Client {
  const client = new Client();
  client.setApiKey(connection.apiKey);
  const defaults: RequestDefaults = {
    baseUrl: connection.baseUrl,
    timeout: connection.timeoutMs,
    transitional: { clarifyTimeoutError: true },
  };
  client.setDefaultRequest(defaults as ClientRequest);
  return client;
}

/** A MailService of its own around a client of its own (the `@sendgrid/mail` default export is a shared singleton). */
export function createSendgridMailService(client: Client): MailService {
  const service = new MailService();
  service.setClient(client);
  return service;
}
