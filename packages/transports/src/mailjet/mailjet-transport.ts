import type { Client } from 'node-mailjet';
import type { OutgoingMessage, SendResult, Transport } from '../transport';
import { buildMailjetMessage } from './build-mailjet-message';
import { classifyMailjetError, mailjetAnswerError, mailjetErrorsOf } from './classify-mailjet-error';
import { connectMailjet, MailjetConnection, MailjetLogger } from './mailjet-client';
import { readMailjetSendAnswer } from './read-mailjet-send-answer';

export interface MailjetTransportOptions extends MailjetConnection {
  logger?: MailjetLogger;
}

interface SdkRejection {
  statusCode?: number | null;
  response?: { status?: number; data?: unknown } | null;
}

/**
 * Sends through a tenant's own Mailjet account with the official SDK (node-mailjet 6.0.11, Send API
 * v3.1), one message per email. Each instance has its own client and keys. Resolves with per-recipient
 * outcomes, or throws a DeliveryError (see classify-mailjet-error.ts) whose `retryable` decides retries.
 */
export class MailjetTransport implements Transport {
  readonly kind = 'mailjet' as const;
  private readonly client: Client;
  private readonly logger?: MailjetLogger;

  constructor(options: MailjetTransportOptions) {
    this.client = connectMailjet(options, 'v3.1');
    this.logger = options.logger;
  }

  async send(outgoing: OutgoingMessage): Promise<SendResult> {
    const { message, droppedHeaders } = buildMailjetMessage(outgoing);
    if (droppedHeaders.length > 0) {
      this.logger?.debug(
        { tenantId: outgoing.tenantId, emailId: outgoing.emailId, droppedHeaders },
        'mailjet: headers Mailjet sets itself were left out',
      );
    }
    let body: unknown;
    try {
      const answer = await this.client.post('send', { version: 'v3.1' }).request({ Messages: [message] });
      body = answer.body;
    } catch (e) {
      // A bulk answer mixing success and error items comes back non-2xx: the confirmed recipients are being sent.
      const partial = this.partialSuccessOf(outgoing, e);
      if (partial) return partial;
      throw classifyMailjetError(e);
    }
    const result = readMailjetSendAnswer(outgoing, body);
    if (result) {
      this.logRefusals(outgoing, result);
      return result;
    }
    const errors = mailjetErrorsOf(body);
    if (errors.length > 0) throw mailjetAnswerError(errors.find((e) => e.StatusCode)?.StatusCode ?? 400, body);
    return this.acceptedWithoutDetails(outgoing);
  }

  /**
   * A 2xx whose body says nothing readable (node-mailjet turns unparsable JSON into `{}`): Mailjet took
   * the message, so it is recorded as accepted, without ids, rather than failed and sent twice.
   */
  private acceptedWithoutDetails(outgoing: OutgoingMessage): SendResult {
    this.logger?.warn(
      { tenantId: outgoing.tenantId, emailId: outgoing.emailId },
      'mailjet: 2xx answer without readable Messages; recorded as accepted',
    );
    const response = 'Mailjet answered 2xx without per-recipient details';
    return {
      messageId: outgoing.messageId,
      response,
      recipients: [...outgoing.to, ...outgoing.cc, ...outgoing.bcc].map((a) => ({ email: a.email, accepted: true, response })),
    };
  }

  private partialSuccessOf(outgoing: OutgoingMessage, e: unknown): SendResult | undefined {
    const rejection = e as SdkRejection | null;
    if (!rejection?.statusCode || !rejection.response) return undefined;
    const result = readMailjetSendAnswer(outgoing, rejection.response.data);
    if (result) this.logRefusals(outgoing, result, rejection.statusCode);
    return result;
  }

  private logRefusals(outgoing: OutgoingMessage, result: SendResult, status?: number): void {
    const refused = result.recipients.filter((r) => !r.accepted);
    if (refused.length === 0) return;
    this.logger?.warn(
      {
        tenantId: outgoing.tenantId,
        emailId: outgoing.emailId,
        status,
        refused: refused.length,
        accepted: result.recipients.length - refused.length,
      },
      'mailjet: some recipients were refused',
    );
  }
}
