import { z } from 'zod';
import { typeError } from './input-errors';
import { Address, addressSchema, headerSafeString } from './address';
import { EmailStatus, RecipientStatus, RECIPIENT_STATUSES } from './status';
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
  /** SMTP/enhanced status code of a bounce or rejection, when known. */
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
] as const;
export type EmailEventType = (typeof EVENT_TYPES)[number];

export interface EmailEvent {
  type: EmailEventType;
  at: string;
  recipient?: string;
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

const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

export const attachmentInputSchema = z.strictObject({
  filename: headerSafeString('filename', 255).min(1, 'filename is required'),
  contentType: z
    .string({ error: typeError('contentType', 'contentType must be a string') })
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'contentType must be a MIME type such as application/pdf')
    .default('application/octet-stream'),
  content: z
    .string({ error: typeError('content (base64)', 'content must be a base64 string') })
    .min(1, 'content must not be empty')
    .regex(BASE64, 'content must be base64'),
});

const addressList = (field: string, max: number) =>
  z
    .array(addressSchema, { error: typeError(field, `${field} must be an array of addresses`) })
    .max(max, `${field} has more than ${max} addresses`);

/** The fields of one email as the platform posts it; `enqueueEmailSchema` adds the rule that spans fields. */
const enqueueEmailFields = z.strictObject({
  to: addressList('to', 50).min(1, 'to needs at least one recipient'),
  cc: addressList('cc', 50).default([]),
  bcc: addressList('bcc', 50).default([]),
  subject: headerSafeString('subject', 998).min(1, 'subject is required'),
  text: z.string().max(2_000_000).optional(),
  html: z.string().max(5_000_000).optional(),
  attachments: z.array(attachmentInputSchema).max(20, 'at most 20 attachments').default([]),
  document: z
    .strictObject({
      type: z
        .string()
        .trim()
        .min(1)
        .max(40)
        .regex(/^[a-z_-]+$/i, 'document.type is a word such as invoice, quote or order'),
      id: z.string().trim().min(1).max(128),
      number: z.string().trim().max(64).optional(),
    })
    .optional(),
  metadata: z
    .record(
      z.string(),
      z.union([z.string().max(500, 'a metadata value is at most 500 characters'), z.number(), z.boolean(), z.null()], {
        error: 'a metadata value is a string, a number, true, false or null',
      }),
    )
    .optional(),
});

const textOrHtml = (e: { text?: string; html?: string }) => e.text !== undefined || e.html !== undefined;
const TEXT_OR_HTML = { message: 'text or html is required', path: ['text'] };

export const enqueueEmailSchema = enqueueEmailFields.refine(textOrHtml, TEXT_OR_HTML);
export type EnqueueEmailInput = z.infer<typeof enqueueEmailSchema>;

/** The Idempotency-Key header's rule, for the header and for a batch item's `idempotencyKey` alike. */
export const IDEMPOTENCY_KEY_PATTERN = /^[\x21-\x7e]{1,200}$/;

/** Items in one batch enqueue; more answers 413 naming this limit. */
export const MAX_BATCH_ITEMS = 500;

/**
 * One item of `POST /v1/tenants/:tenantId/emails/batch`: the same body as one email, plus the item's
 * own idempotency key (required: replaying a batch must find every item it already created).
 */
export const enqueueBatchItemSchema = enqueueEmailFields
  .extend({
    idempotencyKey: z
      .string({ error: typeError('idempotencyKey', 'idempotencyKey must be a string') })
      .regex(IDEMPOTENCY_KEY_PATTERN, 'idempotencyKey must be 1-200 visible ASCII characters'),
  })
  .refine(textOrHtml, TEXT_OR_HTML);
export type EnqueueBatchItemInput = z.infer<typeof enqueueBatchItemSchema>;

/**
 * The batch request as documented: 1 to MAX_BATCH_ITEMS items. The route reads the envelope first
 * (`enqueueBatchEnvelopeSchema`: too many items is a 413, not a 400) and then validates each item on its
 * own with `enqueueBatchItemSchema`, so one bad item is that item's error and the others go on.
 */
export const enqueueBatchSchema = z.strictObject({
  items: z.array(enqueueBatchItemSchema).min(1, 'items needs at least one email').max(MAX_BATCH_ITEMS),
});
export const enqueueBatchEnvelopeSchema = z.strictObject({
  items: z.array(z.unknown(), { error: typeError('items', 'items must be an array of emails') }).min(1, 'items needs at least one email'),
});

/** One result of the batch's 207, in the order of the items: the email (as one enqueue answers), or the item's error. */
export const enqueueBatchResultSchema = z.union([
  z.object({
    index: z.number().int(),
    id: z.string(),
    /** `queued`, or `suppressed` when every recipient is on the suppression list; a replay answers the email's status now. */
    status: z.enum(RECIPIENT_STATUSES),
    suppressed: z.array(z.object({ address: z.string(), reason: z.string(), since: z.string() })).optional(),
    replayed: z.literal(true).optional(),
  }),
  z.object({
    index: z.number().int(),
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  }),
]);
export const enqueueBatchResponseSchema = z.object({ results: z.array(enqueueBatchResultSchema) });
export type EnqueueBatchResult = z.infer<typeof enqueueBatchResultSchema>;

const statusFilter = z.enum(RECIPIENT_STATUSES, { error: `status must be one of ${RECIPIENT_STATUSES.join(', ')}` });

export const historyQuerySchema = z.strictObject({
  documentId: z.string().max(128).optional(),
  documentType: z.string().max(40).optional(),
  status: statusFilter.optional(),
  recipient: z.string().trim().toLowerCase().max(254).optional(),
  since: z.iso.datetime({ offset: true, error: 'since must be an ISO 8601 date-time' }).optional(),
  until: z.iso.datetime({ offset: true, error: 'until must be an ISO 8601 date-time' }).optional(),
  test: z
    .enum(['true', 'false'], { error: 'test must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce
    .number({ error: typeError('limit', 'limit must be a number') })
    .int()
    .min(1)
    .max(200)
    .default(50),
  cursor: z.string().max(200).optional(),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export interface HistoryPage {
  items: EmailRecord[];
  nextCursor: string | null;
}
