import {
  Attachment,
  AttachmentInfo,
  EmailContent,
  EmailRecord,
  EffectiveSettings,
  EnqueueEmailInput,
  enqueueBatchEnvelopeSchema,
  enqueueBatchItemSchema,
  MAX_BATCH_ITEMS,
  transportOf,
} from '@mailroom/domain';
import { decodeUtf8 } from '../http/decode-utf8';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { decodeAttachments } from './decode-attachments';
import { newEmailId, newEmailRecord, requestHash } from './new-email-record';

/** An HttpError as it crosses a thread (batch-body/): plain fields, made an HttpError again by `toHttpError`. */
export interface Problem {
  status: number;
  code: string;
  message: string;
  details?: unknown;
}

/** A batch item's own error, at its index. */
export interface ItemProblem {
  index: number;
  problem: Problem;
}

/**
 * A batch item that passed validation, its attachments decoded: everything but its record, which needs
 * the tenant's settings (`recordBatchItems`). It holds no base64: the contents travel as bytes.
 */
export interface ValidItem {
  index: number;
  idempotencyKey: string;
  /** The fingerprint of the email's body without its key: the same as a single enqueue of that body. */
  hash: string;
  fields: Omit<EnqueueEmailInput, 'attachments'>;
  attachments: Attachment[];
}

/**
 * What a batch's body holds, read in the order the route answers it: a body that is not JSON (400,
 * before the tenant is looked up, as a body parser answers it), an envelope the route refuses (400, or
 * 413 over MAX_BATCH_ITEMS: after the tenant), or the items, each valid or its own error.
 */
export type BatchBodyReading =
  | { kind: 'malformed'; problem: Problem }
  | { kind: 'refused'; problem: Problem }
  | { kind: 'items'; count: number; valid: ValidItem[]; errors: ItemProblem[] };

/** A batch item that passed validation, with its record (pending under the batch's owner) and content, ready to store. */
export interface PreparedItem {
  index: number;
  record: EmailRecord;
  content: EmailContent;
  hash: string;
  idempotencyKey: string;
}

export const toHttpError = (p: Problem): HttpError => new HttpError(p.status, p.code, p.message, p.details);
const toProblem = (e: HttpError): Problem => ({
  status: e.status,
  code: e.code,
  message: e.message,
  ...(e.details !== undefined ? { details: e.details } : {}),
});

/**
 * Reads a batch's body: its bytes as JSON (an empty body is `{}`, as the body parser reads it; the top
 * level must be an object or an array), the envelope, then each item on its own, as a single enqueue
 * validates it: one bad item (a field, its attachments over MAX_ATTACHMENT_BYTES, a key repeated in the
 * same batch) is that item's error and the others go on. No I/O: it runs on a thread of its own where
 * there is one (batch-body/). `body` undefined: the request had no JSON body.
 */
export function readBatchBody(body: Uint8Array | undefined, maxAttachmentBytes: number): BatchBodyReading {
  let parsed: unknown;
  if (body !== undefined) {
    try {
      parsed = parseStrictJson(decodeUtf8(body));
    } catch (e) {
      return {
        kind: 'malformed',
        problem: { status: 400, code: 'malformed_json', message: `the body is not valid JSON: ${(e as Error).message}` },
      };
    }
  }
  let items: unknown[];
  try {
    ({ items } = parseOr400(enqueueBatchEnvelopeSchema, parsed));
  } catch (e) {
    if (!(e instanceof HttpError)) throw e;
    return { kind: 'refused', problem: toProblem(e) };
  }
  if (items.length > MAX_BATCH_ITEMS) {
    const message = `the batch has ${items.length} items; the limit is ${MAX_BATCH_ITEMS} per request: split it`;
    return {
      kind: 'refused',
      problem: { status: 413, code: 'too_many_items', message, details: { limit: MAX_BATCH_ITEMS, items: items.length } },
    };
  }
  return { kind: 'items', count: items.length, ...validateBatchItems(items, maxAttachmentBytes) };
}

/** JSON as the body parser takes it with `strict`: empty is `{}`; anything but an object or an array at the top is refused. */
function parseStrictJson(text: string): unknown {
  const first = /\S/.exec(text)?.[0];
  if (first === undefined) return {};
  if (first !== '{' && first !== '[')
    throw new SyntaxError(`a batch is a JSON object ({ "items": [...] }); the body starts with ${JSON.stringify(first)}`);
  return JSON.parse(text);
}

function validateBatchItems(items: unknown[], maxAttachmentBytes: number): { valid: ValidItem[]; errors: ItemProblem[] } {
  const valid: ValidItem[] = [];
  const errors: ItemProblem[] = [];
  const firstWithKey = new Map<string, number>();
  items.forEach((raw, index) => {
    try {
      const { idempotencyKey, ...input } = parseOr400(enqueueBatchItemSchema, raw, 'item');
      const earlier = firstWithKey.get(idempotencyKey);
      if (earlier !== undefined)
        throw new HttpError(
          409,
          'idempotency_key_repeated',
          `idempotencyKey "${idempotencyKey}" is also item ${earlier}'s: every item of a batch needs its own key`,
          { field: 'idempotencyKey', sameAsIndex: earlier },
        );
      firstWithKey.set(idempotencyKey, index);
      const attachments = decodeAttachments(input, maxAttachmentBytes);
      const { attachments: _base64, ...fields } = input;
      valid.push({ index, idempotencyKey, hash: requestHash(input), fields, attachments });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      errors.push({ index, problem: toProblem(e) });
    }
  });
  return { valid, errors };
}

/** Each valid item's record, as a single enqueue builds it: pending under the batch's owner, on the tenant's effective settings. */
export function recordBatchItems(
  valid: ValidItem[],
  ctx: { tenantId: string; effective: EffectiveSettings; now: Date; owner: string },
): PreparedItem[] {
  return valid.map((item) => {
    const record = newEmailRecord({
      id: newEmailId(ctx.now),
      tenantId: ctx.tenantId,
      input: item.fields,
      attachments: item.attachments.map(infoOf),
      settings: ctx.effective.settings,
      transport: transportOf(ctx.effective),
      now: ctx.now,
      idempotencyKey: item.idempotencyKey,
      requestHash: item.hash,
      pendingEnqueue: { owner: ctx.owner, since: ctx.now.toISOString() },
    });
    const content = { text: item.fields.text, html: item.fields.html, attachments: item.attachments };
    return { index: item.index, record, content, hash: item.hash, idempotencyKey: item.idempotencyKey };
  });
}

const infoOf = (a: Attachment): AttachmentInfo => ({ filename: a.filename, contentType: a.contentType, size: a.content.length });
