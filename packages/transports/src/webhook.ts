import type { EmailEventType } from '@mailroom/domain';

/** One provider event, in our own terms. Matched to the email through the ids we sent, never provider id formats. */
export interface NormalizedEvent {
  /** Our email id, echoed back from SendGrid custom_args / Mailgun v: variables / Mailjet CustomID. Absent: not ours. */
  emailId?: string;
  /** Our tenant id when it was echoed back too (a cross-check against the URL's tenant). */
  tenantId?: string;
  type: EmailEventType;
  recipient?: string;
  /** ISO time the provider says the event happened. */
  at: string;
  /** Dedupe key: sg_event_id, Mailgun event-data.id, or a derived key for Mailjet. Prefixed with the provider. */
  key: string;
  machine?: boolean;
  reason?: string;
  /** The SMTP reply code the provider reports (550), when it reports one. */
  responseCode?: number;
  /** The enhanced status code (RFC 3463, `5.1.1`), only when the provider or the server gave one. */
  statusCode?: string;
  bounceType?: 'hard' | 'soft';
  url?: string;
  userAgent?: string;
  providerMessageId?: string;
}

export interface IncomingWebhook {
  /** The exact bytes received: signatures are computed over them. */
  rawBody: Buffer;
  /** Lower-cased header names. */
  headers: Record<string, string | undefined>;
}

export type VerifyOutcome =
  | { ok: true; replayToken?: string }
  | { ok: false; reason: 'unsigned' | 'bad-signature' | 'stale' | 'no-key' | 'malformed'; message: string };

export interface WebhookRegistration {
  url: string;
  /** SendGrid public key, Mailgun signing key: what verification needs. Mailjet: none (we generate Basic credentials). */
  verificationKey?: string;
  /** The provider's id of the webhook registered (SendGrid: one of the account's several Event Webhooks). */
  webhookId?: string;
}
