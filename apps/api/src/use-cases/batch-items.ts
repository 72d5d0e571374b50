import { EmailContent, EmailRecord, EffectiveSettings, enqueueBatchItemSchema, transportOf } from '@mailroom/domain';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { decodeAttachments } from './enqueue-email';
import { newEmailId, newEmailRecord, requestHash } from './new-email-record';

/** A batch item that passed validation: its record (pending under the batch's owner) and content, ready to store. */
export interface PreparedItem {
  index: number;
  record: EmailRecord;
  content: EmailContent;
  /** The fingerprint of the email's body without its key: the same as a single enqueue of that body. */
  hash: string;
  idempotencyKey: string;
}

/** An item's answer when it cannot go on: the HttpError says what to fix, as one enqueue would. */
export interface ItemError {
  index: number;
  error: HttpError;
}

/**
 * Validates each item on its own and builds its record, as a single enqueue would: one bad item (a
 * field, its attachments over MAX_ATTACHMENT_BYTES, a key repeated in the same batch) is that item's
 * error and the others go on.
 */
export function prepareBatchItems(
  items: unknown[],
  ctx: { tenantId: string; effective: EffectiveSettings; now: Date; owner: string; maxAttachmentBytes: number },
): { prepared: PreparedItem[]; errors: ItemError[] } {
  const prepared: PreparedItem[] = [];
  const errors: ItemError[] = [];
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
      const attachments = decodeAttachments(input, ctx.maxAttachmentBytes);
      const hash = requestHash(input);
      const record = newEmailRecord({
        id: newEmailId(ctx.now),
        tenantId: ctx.tenantId,
        input,
        settings: ctx.effective.settings,
        transport: transportOf(ctx.effective),
        now: ctx.now,
        idempotencyKey,
        requestHash: hash,
        pendingEnqueue: { owner: ctx.owner, since: ctx.now.toISOString() },
      });
      prepared.push({ index, record, content: { text: input.text, html: input.html, attachments }, hash, idempotencyKey });
    } catch (e) {
      if (!(e instanceof HttpError)) throw e;
      errors.push({ index, error: e });
    }
  });
  return { prepared, errors };
}
