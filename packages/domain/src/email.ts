import type { HintKey, HintParams, HintThen } from './hint-keys';
import type { Address } from './address';
import type { EmailStatus, RecipientStatus } from './status';
import { ProviderName, SendingMode } from './settings';
import type { RecentOpenClient } from './open-events';
import type { SuppressionReason } from './suppression';

export type RecipientKind = 'to' | 'cc' | 'bcc';

export interface RecipientState {
  email: string;
  name?: string;
  kind: RecipientKind;
  status: RecipientStatus;
  /** Why it is in a problem state: the server's or provider's words. */
  reason?: string;
  /** SMTP reply code of a rejection or bounce (550), when known. */
  responseCode?: number;
  /** SMTP enhanced status code of a rejection or bounce (`5.1.1`), when the server gave one. */
  statusCode?: string;
  bounceType?: 'hard' | 'soft';
  providerMessageId?: string;
  /** Set when the recipient was not sent to because its address is on the tenant's suppression list. */
  suppression?: { reason: SuppressionReason; since: string };
  /** While deferred by our own retry: when the next try is due. */
  nextAttemptAt?: string;
  updatedAt: string;
}

export interface Attempt {
  at: string;
  ok: boolean;
  /** Error code (nodemailer `EAUTH`, provider `http_401`...) when the attempt failed. */
  code?: string;
  responseCode?: number;
  /** The server's or provider's own words. */
  response?: string;
  hint?: string;
  /** The key of `hint`, its values, and what followed it (hint-keys.ts): absent on records older than the keys. */
  hintKey?: HintKey;
  hintParams?: HintParams;
  hintThen?: HintThen;
  retryable?: boolean;
  /** The server or provider said the sender is over its rate: this attempt did not count against SEND_ATTEMPTS. */
  rateLimited?: boolean;
  durationMs?: number;
}

export const EVENT_TYPES = [
  'queued',
  'sending',
  'accepted',
  'deferred',
  'delivered',
  'opened',
  'clicked',
  'bounced',
  'dropped',
  'complained',
  'unsubscribed',
  'failed',
  'suppressed',
  'canceled',
  /** An attempt of ours whose worker stopped mid-send (interrupted-attempt.ts): a duplicate is possible. */
  'interrupted',
] as const;
export type EmailEventType = (typeof EVENT_TYPES)[number];

export interface EmailEvent {
  type: EmailEventType;
  at: string;
  recipient?: string;
  /**
   * A failed attempt of ours that was for some recipients only (after a send that went through for the
   * others): the ones it was for. Absent on an attempt for the whole email, and on every other event.
   */
  recipients?: string[];
  /** Unique per distinct event: a duplicate delivery of the same event changes nothing. */
  key: string;
  source: 'api' | 'worker' | 'pixel' | ProviderName;
  /** A machine open (Apple MPP, an image prefetcher): recorded, not shown as a person opening. */
  machine?: boolean;
  reason?: string;
  statusCode?: string;
  url?: string;
  userAgent?: string;
}

export interface DocumentRef {
  type: string;
  id: string;
  number?: string;
}

export interface Opens {
  /** Human opens only. */
  count: number;
  firstAt?: string;
  lastAt?: string;
  machineCount: number;
  /** Open events counted above but left out of the timeline, which keeps at most 50 (open-events.ts). */
  omittedFromTimeline?: number;
}

/** What the history keeps of an attachment once its bytes are gone (and before). */
export interface AttachmentInfo {
  filename: string;
  contentType: string;
  /** Bytes, decoded. */
  size: number;
}

/** Why an email goes through another transport than the tenant's settings name. */
export type TransportFallbackReason = 'plan_fallback';

/** The transport an email is (or will be) sent through, as the history shows it. */
export interface TransportChoice {
  mode: SendingMode;
  provider?: ProviderName;
  /** Set when this is not the mode the tenant saved: `plan_fallback` (the plan no longer allows it). */
  reason?: TransportFallbackReason;
}

/**
 * An enqueue still in progress: the record is written, its job may not be yet. The request that wrote
 * it (`owner`) either commits it (the marker goes) once the job exists, or removes it; a replay of the
 * same Idempotency-Key meanwhile answers 409 (decision 0014).
 */
export interface PendingEnqueue {
  owner: string;
  since: string;
}

export interface EmailRecord {
  id: string;
  tenantId: string;
  status: EmailStatus;
  subject: string;
  document?: DocumentRef;
  from?: Address;
  replyTo?: string;
  to: Address[];
  cc: Address[];
  bcc: Address[];
  transport: TransportChoice;
  messageId?: string;
  providerMessageId?: string;
  recipients: RecipientState[];
  attempts: Attempt[];
  events: EmailEvent[];
  opens: Opens;
  /** Clients (a keyed hash of user agent and IP, never the IP itself) that loaded the pixel in the last minute. */
  openClients?: RecentOpenClient[];
  /** Names, types and sizes of the attachments, recorded at enqueue; they outlive the content. */
  attachments?: AttachmentInfo[];
  /** When the email last reached a final status (status.ts FINAL_STATUSES): the content retention clock. */
  finalAt?: string;
  /** When its body and attachments were deleted (CONTENT_RETENTION_SECONDS after finalAt). */
  contentPurgedAt?: string;
  metadata?: Record<string, string | number | boolean | null>;
  test: boolean;
  idempotencyKey?: string;
  /** Hash of the request that created it, so a reused Idempotency-Key with another body is refused. */
  requestHash?: string;
  hasHtml: boolean;
  attachmentCount: number;
  /** While deferred by our own retry or a provider's rate limit: when the next try is due. */
  nextAttemptAt?: string;
  pendingEnqueue?: PendingEnqueue;
  /**
   * An attempt of ours is on its way (markSending set it, when it started) and has not recorded its
   * outcome: only a recorded outcome clears it (a send's success or failure, an interrupted attempt,
   * giving up). Found by the next attempt, it means the worker stopped mid-send (decision 0064).
   * Internal: the history's answer leaves it out.
   */
  attemptInFlightSince?: string;
  createdAt: string;
  updatedAt: string;
}

export interface Attachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

/** The body of an email, stored apart from the record: the history never carries it. */
export interface EmailContent {
  text?: string;
  html?: string;
  attachments: Attachment[];
}
