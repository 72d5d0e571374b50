import { z } from 'zod';
import { typeError } from './input-errors';
import { addressSchema, headerSafeString } from './address';
import { RECIPIENT_STATUSES } from './status';

/** What the platform posts to enqueue: one email, or a batch of them (the batch route's 207 answer too). */
const BASE64 = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

/**
 * Whether an attachment's content is base64 as this API takes it: the alphabet, line breaks, up to two
 * `=` at the end (BASE64). The usual content, what an encoder writes without line breaks, is
 * recognised by a round trip through Buffer's decoder and encoder, which only such a string survives
 * unchanged: about 25 µs for a 30 KB PDF, where the regex's scan took about 90 µs (most of the
 * validation of an invoice, decision 0045). Anything else (line breaks, no padding, a bad character) is
 * judged by the regex, so the strings accepted are exactly the regex's.
 */
export function isBase64(content: string): boolean {
  return Buffer.from(content, 'base64').toString('base64') === content || BASE64.test(content);
}

export const attachmentInputSchema = z.strictObject({
  filename: headerSafeString('filename', 255).min(1, 'filename is required'),
  contentType: z
    .string({ error: typeError('contentType', 'contentType must be a string') })
    .regex(/^[\w.+-]+\/[\w.+-]+$/, 'contentType must be a MIME type such as application/pdf')
    .default('application/octet-stream'),
  content: z
    .string({ error: typeError('content (base64)', 'content must be a base64 string') })
    .min(1, 'content must not be empty')
    .refine(isBase64, 'content must be base64'),
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
      // Stored in lower case, so that the history's documentType filter (lower-cased too) finds it.
      type: z
        .string()
        .trim()
        .min(1)
        .max(40)
        .regex(/^[A-Za-z_-]+$/, 'document.type is a word such as invoice, quote or order')
        .toLowerCase()
        .meta({
          description: 'A word such as invoice, quote or order; stored, filtered and answered in lower case (`Invoice` is `invoice`).',
        }),
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

/** An email needs words: a text or an html that is more than white space (an empty text alone would send an empty email). */
const hasWords = (s: string | undefined) => s !== undefined && s.trim() !== '';
const textOrHtml = (e: { text?: string; html?: string }) => hasWords(e.text) || hasWords(e.html);
const TEXT_OR_HTML = { message: 'text or html is required, and must not be empty or only white space', path: ['text'] };

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
