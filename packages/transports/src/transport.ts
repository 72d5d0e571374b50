import type { Address, Attachment, SentRecipient } from '@mailroom/domain';

/** Everything a transport needs to put one email on the wire. Built by the worker; holds no secrets. */
export interface OutgoingMessage {
  /** Our email id: sent in each provider's own way so that webhooks echo it back. */
  emailId: string;
  tenantId: string;
  from: Address;
  replyTo?: Address;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  subject: string;
  text?: string;
  html?: string;
  attachments: Attachment[];
  /** RFC 5322 Message-ID with angle brackets, stable across retries of the same email. */
  messageId: string;
  /** Extra headers (X-Mailroom-Email-Id...). */
  headers: Record<string, string>;
  /** Ask the provider to track opens (provider mode). */
  trackOpens: boolean;
}

/** What the send answered for one recipient: the domain's own shape, which the history records. */
export type RecipientOutcome = SentRecipient;

export interface SendResult {
  messageId: string;
  /** The provider's id for the message (SendGrid X-Message-Id, Mailgun id without brackets...). */
  providerMessageId?: string;
  /** The server's own words on acceptance (SMTP `250 ...`). */
  response?: string;
  /** One outcome per envelope recipient: the history changes only these (a recipient not in the send is left as it was). */
  recipients: RecipientOutcome[];
}

/**
 * The transport contract (after nodemailer's): `send` delivers or throws a DeliveryError whose
 * `retryable` decides retries; `verify` and `close` are optional and callers probe for them.
 */
export interface Transport {
  /** The transport's own name (`smtp`, `graph`, `sendgrid`...), for logs and metrics. */
  readonly kind: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  verify?(): Promise<void>;
  close?(): Promise<void> | void;
}
