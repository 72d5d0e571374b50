import type { OutgoingMessage, SendResult, Transport } from '../transport';
import { buildMailgunMessage, stripAngleBrackets } from './build-mailgun-message';
import { captureMailgunResponse, CapturedResponse } from './capture-mailgun-response';
import { classifyMailgunError, MailgunAction } from './classify-mailgun-error';
import { createMailgunClient, MailgunClient, MailgunConnection } from './create-mailgun-client';

/** A pino-compatible logger; the transport logs ids, never keys or bodies. */
export interface MailgunLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface MailgunTransportOptions extends MailgunConnection {
  /** The sending domain (`POST /v3/{domain}/messages`). */
  domain: string;
  logger?: MailgunLogger;
}

/**
 * Sends through one tenant's Mailgun account with the official SDK (mailgun.js, `POST /v3/{domain}/messages`).
 * Each instance owns its own client, so tenants never share keys, regions or domains. Failures become
 * DeliveryErrors whose `retryable` decides the retry (classify-mailgun-error.ts).
 */
export class MailgunTransport implements Transport {
  readonly kind = 'mailgun' as const;
  private readonly client: MailgunClient;
  private readonly domain: string;
  private readonly apiKey: string;
  private readonly timeoutMs: number;
  private readonly logger?: MailgunLogger;

  constructor(options: MailgunTransportOptions) {
    this.client = createMailgunClient(options);
    this.domain = options.domain;
    this.apiKey = options.apiKey;
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const ids = { tenantId: message.tenantId, emailId: message.emailId };
    const plan = buildMailgunMessage(message);
    if (plan.droppedHeaders.length > 0)
      this.logger?.warn({ ...ids, headers: plan.droppedHeaders }, 'headers Mailgun sets itself were left out');
    const answer = await this.call('send', () => this.client.messages.create(this.domain, plan.data), ids);
    const providerMessageId = answer.id ? stripAngleBrackets(answer.id) : undefined;
    const response = `${answer.status} ${answer.message ?? 'Queued'}`.trim();
    this.logger?.debug({ ...ids, providerMessageId }, 'Mailgun accepted the email');
    return {
      messageId: message.messageId,
      providerMessageId,
      response,
      recipients: plan.recipients.map((email) => ({ email, accepted: true, responseCode: answer.status, response })),
    };
  }

  /** Checks that the key reaches this domain in this region (`GET /v4/domains/{domain}`), without sending anything. */
  async verify(): Promise<void> {
    await this.call('verify', () => this.client.domains.get(this.domain));
  }

  private async call<T>(action: MailgunAction, request: () => Promise<T>, ids: object = {}): Promise<T> {
    const captured: CapturedResponse = {};
    try {
      return await captureMailgunResponse(captured, request);
    } catch (error) {
      const failure = classifyMailgunError(error, {
        action,
        domain: this.domain,
        timeoutMs: this.timeoutMs,
        retryAfter: captured.headers?.['retry-after'],
        secrets: [this.apiKey],
      });
      this.logger?.debug({ ...ids, code: failure.code, retryable: failure.retryable }, `Mailgun ${action} failed`);
      throw failure;
    }
  }
}
