import { DeliveryError } from '@mailroom/domain';
import type { AccessTokenSource } from '../access-token-source';
import { NETWORK_ERROR_CODES } from '../http-failure';
import { envelopeRecipients } from '../smtp/to-nodemailer-message';
import type { OutgoingMessage, SendResult, Transport } from '../transport';
import { classifyGraphAnswer, GraphAnswer, GRAPH_HINTS, GRAPH_RETRIED_HINTS } from './classify-graph-error';
import { composeMime } from './compose-mime';

/** Graph refuses requests above 4 MB; the base64 body is what counts. */
export const GRAPH_MAX_REQUEST_BYTES = 4 * 1024 * 1024;

export interface GraphTransportLogger {
  debug(obj: object, msg?: string): void;
}

export interface GraphTransportOptions {
  /** MICROSOFT_GRAPH_URL (its default, the real one, is in @mailroom/oauth's vendors). */
  baseUrl: string;
  /** The connected mailbox's tokens (Mail.Send); errors are DeliveryErrors. */
  tokens: AccessTokenSource;
  /** Every request is bounded (PROVIDER_TIMEOUT_MS). */
  timeoutMs: number;
  logger?: GraphTransportLogger;
}

/**
 * Sends as a Microsoft 365 mailbox through Microsoft Graph, for tenants whose administrators turned
 * SMTP AUTH off: the same MIME message the SMTP transport would send, base64, as the body of
 * `POST /v1.0/me/sendMail` with `Content-Type: text/plain` (learn.microsoft.com/graph/outlook-send-mime-message).
 * A 401 gets one token refresh and one more try; the refresh refused (invalid_grant) is the token
 * source's permanent `oauth_reconnect_required`.
 */
export class GraphTransport implements Transport {
  readonly kind = 'graph' as const;
  private readonly sendMailUrl: string;

  constructor(private readonly options: GraphTransportOptions) {
    this.sendMailUrl = `${options.baseUrl.replace(/\/+$/, '')}/v1.0/me/sendMail`;
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const ids = { tenantId: message.tenantId, emailId: message.emailId, transport: this.kind };
    const body = (await composeMime(message)).toString('base64');
    if (body.length > GRAPH_MAX_REQUEST_BYTES) {
      throw new DeliveryError(`the email is ${body.length} bytes once encoded for Microsoft Graph, above its 4 MB request limit`, {
        code: 'graph_message_too_large',
        retryable: false,
        ...GRAPH_HINTS.tooLarge,
      });
    }
    let token = await this.options.tokens.getAccessToken();
    let answer = await this.post(body, token);
    if (answer.status === 401) {
      this.options.logger?.debug({ ...ids, requestId: answer.requestId }, 'Graph refused the access token: refreshing it once');
      token = await this.options.tokens.getAccessToken({ rejected: token });
      answer = await this.post(body, token);
    }
    if (answer.status !== 202) {
      const failure = classifyGraphAnswer(answer);
      this.options.logger?.debug(
        { ...ids, status: answer.status, requestId: answer.requestId, retryable: failure.retryable },
        'Graph send failed',
      );
      throw failure;
    }
    this.options.logger?.debug({ ...ids, requestId: answer.requestId }, 'Graph took the email');
    const response = `202 Accepted${answer.requestId ? ` (request-id ${answer.requestId})` : ''}`;
    return {
      messageId: message.messageId,
      response,
      recipients: envelopeRecipients(message).map((email) => ({ email, accepted: true, response, responseCode: 202 })),
    };
  }

  private async post(body: string, token: string): Promise<GraphAnswer> {
    try {
      const res = await fetch(this.sendMailUrl, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/plain' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
      return {
        status: res.status,
        retryAfter: res.headers.get('retry-after'),
        requestId: res.headers.get('request-id'),
        body: await res.text(),
      };
    } catch (e) {
      throw networkFailure(e, this.options.timeoutMs);
    }
  }
}

function networkFailure(e: unknown, timeoutMs: number): DeliveryError {
  const err = e as { name?: string; cause?: { code?: string } };
  if (err?.name === 'TimeoutError' || err?.name === 'AbortError') {
    return new DeliveryError(`Microsoft Graph did not answer within ${timeoutMs} ms`, {
      code: 'ETIMEDOUT',
      retryable: true,
      ...GRAPH_RETRIED_HINTS.unavailable,
    });
  }
  const code = err?.cause?.code;
  return new DeliveryError(`Microsoft Graph could not be reached (${code ?? 'network error'})`, {
    code: code && NETWORK_ERROR_CODES.has(code) ? code : 'ENETWORK',
    retryable: true,
    ...GRAPH_RETRIED_HINTS.unavailable,
  });
}
