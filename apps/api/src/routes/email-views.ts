import { EmailRecord, EVENT_TYPES, hintKeyFields, RECIPIENT_STATUSES, SENDING_MODES, SUPPRESSION_REASONS } from '@mailroom/domain';
import { z } from 'zod';
import { isoTime } from '../openapi/answer-fields';

/**
 * The emails routes' answers and their zod schemas side by side: the presenters are typed by the
 * schemas, and the OpenAPI document (route-docs.ts) is generated from the same schemas.
 */

const status = z.enum(RECIPIENT_STATUSES);
const address = z.strictObject({ email: z.string(), name: z.string().optional() });

const recipientSchema = z.strictObject({
  email: z.string(),
  name: z.string().optional(),
  kind: z.enum(['to', 'cc', 'bcc']),
  status,
  reason: z.string().optional(),
  responseCode: z.number().int().optional().meta({ description: 'The SMTP reply code of a refusal or bounce (550), when known.' }),
  statusCode: z.string().optional().meta({ description: 'The enhanced status code (RFC 3463, `5.1.1`), when the server gave one.' }),
  bounceType: z.enum(['hard', 'soft']).optional(),
  providerMessageId: z.string().optional(),
  suppression: z.strictObject({ reason: z.enum(SUPPRESSION_REASONS), since: isoTime }).optional(),
  nextAttemptAt: isoTime.optional(),
  updatedAt: isoTime,
});

const attemptSchema = z.strictObject({
  at: isoTime,
  ok: z.boolean(),
  code: z.string().optional().meta({
    description:
      "Why it failed: the server's or provider's error code, or `interrupted` when the worker stopped mid-send before the outcome was recorded (the server may have received the message: a duplicate is possible; `at` is when the next attempt found it).",
  }),
  responseCode: z.number().int().optional(),
  response: z.string().optional(),
  hint: z.string().optional(),
  ...hintKeyFields,
  retryable: z.boolean().optional(),
  rateLimited: z.boolean().optional(),
  durationMs: z.number().optional(),
});

const eventSchema = z.strictObject({
  type: z.enum(EVENT_TYPES).meta({
    description:
      '`interrupted` (source `worker`): an attempt whose worker stopped mid-send (killed) before its outcome was recorded; the server may or may not have received the message, so a duplicate is possible. The attempt is in `attempts` with code `interrupted`; the email was sent again, or, when the send was given up with the attempt in flight (a job BullMQ gave up as stalled too often), it failed and was not (hint key `send.interruptedNotSentAgain`; for a test email, which the API sends itself, `send.interruptedTestEmail`).',
  }),
  at: isoTime,
  recipient: z.string().optional().meta({
    description:
      'The recipient the event is about. A failed attempt of ours for one recipient only (see `recipients`) names it too; absent on an attempt for the whole email.',
  }),
  recipients: z.array(z.string()).optional().meta({
    description:
      'A failed or interrupted attempt of ours (`deferred`, `failed` or `interrupted`, source `worker`) that was for some recipients only, after a send that went through for the others (a recipient refused for now, tried again alone; a retry of the failed ones): the recipients it was for. Absent on an attempt for the whole email.',
  }),
  key: z.string(),
  source: z.string().meta({ description: 'api, worker, pixel, or the name of the provider module whose webhook reported it' }),
  machine: z.boolean().optional(),
  reason: z.string().optional(),
  statusCode: z.string().optional(),
  url: z.string().optional(),
  userAgent: z.string().optional(),
});

/** One email of the history, as GET .../emails/:emailId, the history list and a cancel answer it. */
export const emailViewSchema = z.strictObject({
  id: z.string(),
  tenantId: z.string(),
  status,
  subject: z.string(),
  document: z.strictObject({ type: z.string(), id: z.string(), number: z.string().optional() }).optional(),
  from: address.optional(),
  replyTo: z.string().optional(),
  to: z.array(address),
  cc: z.array(address),
  bcc: z.array(address),
  transport: z.strictObject({ mode: z.enum(SENDING_MODES), provider: z.string().optional(), reason: z.enum(['plan_fallback']).optional() }),
  messageId: z.string().optional(),
  providerMessageId: z.string().optional(),
  recipients: z.array(recipientSchema),
  attempts: z.array(attemptSchema),
  events: z.array(eventSchema),
  opens: z.strictObject({
    count: z.number().int(),
    firstAt: isoTime.optional(),
    lastAt: isoTime.optional(),
    machineCount: z.number().int(),
    omittedFromTimeline: z.number().int().optional(),
  }),
  attachments: z.array(z.strictObject({ filename: z.string(), contentType: z.string(), size: z.number().int() })).optional(),
  finalAt: isoTime.optional(),
  contentPurgedAt: isoTime.optional(),
  metadata: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  test: z.boolean(),
  idempotencyKey: z.string().optional(),
  hasHtml: z.boolean(),
  attachmentCount: z.number().int(),
  nextAttemptAt: isoTime.optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
});
export type EmailView = z.input<typeof emailViewSchema>;

/** The history as callers see it: no internal fingerprints (the request's hash, the pixel's recent clients), enqueue or attempt marks. */
export function presentEmail(e: EmailRecord): EmailView {
  const { requestHash: _hash, openClients: _clients, pendingEnqueue: _pending, attemptInFlightSince: _inFlight, ...rest } = e;
  return rest;
}

export const historyPageSchema = z.strictObject({ items: z.array(emailViewSchema), nextCursor: z.string().nullable() });

export const enqueueAnswerSchema = z.strictObject({
  id: z.string(),
  status,
  suppressed: z.array(z.strictObject({ address: z.string(), reason: z.enum(SUPPRESSION_REASONS), since: isoTime })).optional(),
});

/**
 * The enqueue's 202: the id and status, and the recipients not sent to because their address is on
 * the suppression list (`status: "suppressed"` when that was every recipient: no job, nothing sent).
 */
export function enqueueAnswer(e: EmailRecord): z.input<typeof enqueueAnswerSchema> {
  const suppressed = e.recipients
    .filter((r) => r.status === 'suppressed' && r.suppression)
    .map((r) => ({ address: r.email, reason: r.suppression!.reason, since: r.suppression!.since }));
  return { id: e.id, status: e.status, ...(suppressed.length > 0 ? { suppressed } : {}) };
}

/** The retry's 202. */
export const retryAnswerSchema = z.strictObject({ id: z.string(), status });
export const retryAnswer = (e: EmailRecord): z.input<typeof retryAnswerSchema> => ({ id: e.id, status: e.status });
