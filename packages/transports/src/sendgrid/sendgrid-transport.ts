import type { DeliveryError } from '@mailroom/domain';
import type { Client } from '@sendgrid/client';
import type { MailService } from '@sendgrid/mail';
import type { OutgoingMessage, SendResult, Transport } from '../transport';
import { buildSendgridMail } from './build-sendgrid-mail';
import { classifySendgridError } from './classify-sendgrid-error';
import { createSendgridClient, createSendgridMailService, SendgridConnection } from './create-sendgrid-client';
import {
  causeOfForbiddenSend,
  explainForbiddenSend,
  isForbiddenSend,
  MAIL_SEND_SCOPE,
  missingScopeError,
  readSendgridScopes,
} from './sendgrid-scopes';

/** A pino-compatible logger; the transport logs ids, never keys or bodies. */
export interface SendgridTransportLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export interface SendgridTransportOptions extends SendgridConnection {
  logger?: SendgridTransportLogger;
}

/**
 * Sends through one tenant's SendGrid account with the official SDK (`POST /v3/mail/send`). Each
 * instance owns its own SDK client, so tenants never share keys or settings. Failures become
 * DeliveryErrors whose `retryable` decides the retry (classify-sendgrid-error.ts); a 403 not about the
 * sender is told apart by the key's scopes (sendgrid-scopes.ts).
 */
export class SendgridTransport implements Transport {
  readonly kind = 'sendgrid' as const;
  private readonly mail: MailService;
  private readonly client: Client;
  private readonly timeoutMs: number;
  private readonly logger?: SendgridTransportLogger;

  constructor(options: SendgridTransportOptions) {
    this.client = createSendgridClient({ apiKey: options.apiKey, baseUrl: options.baseUrl, timeoutMs: options.timeoutMs });
    this.mail = createSendgridMailService(this.client);
    this.timeoutMs = options.timeoutMs;
    this.logger = options.logger;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const ids = { tenantId: message.tenantId, emailId: message.emailId };
    const plan = buildSendgridMail(message);
    if (plan.droppedHeaders.length > 0)
      this.logger?.warn({ ...ids, headers: plan.droppedHeaders }, 'headers SendGrid does not accept were left out');
    let answer;
    try {
      [answer] = await this.mail.send(plan.mail);
    } catch (error) {
      throw await this.sendFailure(error, ids);
    }
    const providerMessageId = headerOf(answer.headers, 'x-message-id');
    const response = `${answer.statusCode} Accepted`;
    this.logger?.debug({ ...ids, providerMessageId }, 'SendGrid accepted the email');
    return {
      messageId: message.messageId,
      providerMessageId,
      response,
      recipients: plan.recipients.map((r) => ({ email: r.email, accepted: true, responseCode: answer.statusCode, response })),
    };
  }

  /** A send's 403 not about the sender asks the key's scopes once (decision 0057); logged by code, never the key. */
  private async sendFailure(error: unknown, ids: { tenantId: string; emailId: string }): Promise<DeliveryError> {
    const failure = classifySendgridError(error, { action: 'send', timeoutMs: this.timeoutMs });
    const cause = isForbiddenSend(failure) ? await causeOfForbiddenSend(this.client) : undefined;
    const told = cause ? explainForbiddenSend(failure, cause) : failure;
    this.logger?.debug({ ...ids, code: told.code, retryable: told.retryable, ...(cause ? { cause } : {}) }, 'SendGrid send failed');
    return told;
  }

  /** Checks that the key is valid and may send mail (`GET /v3/scopes`). */
  async verify(): Promise<void> {
    let scopes: string[] | undefined;
    try {
      scopes = await readSendgridScopes(this.client);
    } catch (error) {
      throw classifySendgridError(error, { action: 'verify', timeoutMs: this.timeoutMs });
    }
    if (!scopes?.includes(MAIL_SEND_SCOPE))
      throw missingScopeError('The SendGrid API key may not send mail', { response: 'scope mail.send missing' });
  }
}

function headerOf(headers: unknown, name: string): string | undefined {
  if (typeof headers !== 'object' || headers === null) return undefined;
  const value = (headers as Record<string, unknown>)[name];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}
