import type { Collection, Filter, OptionalUnlessRequiredId } from 'mongodb';
import type { EmailContent, EmailRecord, HistoryPage, HistoryQuery } from '@mailroom/domain';
import type { CreateEmailInput, EmailRef, EmailStore, Mutator } from '../store.port';
import type { StoreLogger } from '../store-logger';
import { toHistoryFilter, toHistoryPage } from '../history-filter';
import { ContentDoc, contentFromDoc, contentToDoc, EmailDoc, emailBody, emailFromDoc } from './mongo-documents';
import { bulkWriteErrors, isDuplicateOn, isWriteDuplicateOn } from './mongo-errors';
import { IDEMPOTENCY_INDEX } from './mongo-indexes';
import { historyCursor } from './mongo-history-filter';
import { reviseDocument } from './revise-document';

/** A create that lost its idempotency race to an email removed a moment later tries again this often. */
const CREATE_ATTEMPTS = 3;

/*
 * Each query meant for a partial index names the index's partialFilterExpression itself: the planner
 * uses a partial index only for a query whose predicate it can prove a subset of that expression, and
 * it does not infer `$type: 'string'` from a comparison with a string (expression_algo's isSubsetOf
 * handles comparisons, $exists and $in against the index's filter, not $type).
 */

/** The email holding this idempotency key: served by the unique partial `tenant_idempotency_key`. */
export function idempotencyKeyFilter(tenantId: string, key: string): Filter<EmailDoc> {
  return { tenantId, idempotencyKey: { $type: 'string', $eq: key } };
}

/** Due for the sweep before `dueBefore`: served by the partial `send_due`. */
export function awaitingSendFilter(dueBefore: string): Filter<EmailDoc> {
  return { sendDueAt: { $type: 'string', $lt: dueBefore } };
}

/** Final at or before `finalBefore`, content not purged: served by the partial `content_to_purge`. */
export function contentToPurgeFilter(finalBefore: string): Filter<EmailDoc> {
  return { contentPurgedAt: { $exists: false }, finalAt: { $type: 'string', $lte: finalBefore } };
}

export class MongoEmailStore implements EmailStore {
  constructor(
    private readonly emails: Collection<EmailDoc>,
    private readonly contents: Collection<ContentDoc>,
    private readonly logger: StoreLogger,
  ) {}

  /**
   * The email first, its content second: the unique partial index on {tenantId, idempotencyKey}
   * decides, and a create that loses to it has written nothing at all.
   */
  async create({ email, content }: CreateEmailInput): Promise<{ email: EmailRecord; created: boolean }> {
    for (let attempt = 1; ; attempt++) {
      try {
        await this.emails.insertOne({ ...emailBody(email), _id: email.id, rev: 0 } as OptionalUnlessRequiredId<EmailDoc>);
      } catch (error) {
        // A key left undefined would vanish from the filter (ignoreUndefined) and match any email.
        if (!isDuplicateOn(error, IDEMPOTENCY_INDEX, 'idempotencyKey') || email.idempotencyKey === undefined) throw error;
        const winner = await this.emails.findOne(idempotencyKeyFilter(email.tenantId, email.idempotencyKey));
        if (winner) return { email: emailFromDoc(winner), created: false };
        if (attempt >= CREATE_ATTEMPTS) throw error;
        continue;
      }
      try {
        await this.contents.insertOne(contentToDoc(email, content));
      } catch (error) {
        // No email without its body: undo the record so the caller's retry starts clean.
        await this.emails.deleteOne({ _id: email.id, tenantId: email.tenantId });
        this.logger.warn({ tenantId: email.tenantId, emailId: email.id, err: error }, 'email content could not be stored; email removed');
        throw error;
      }
      return { email, created: true };
    }
  }

  /**
   * The emails in one unordered insertMany, then the contents of those written in another. An email
   * whose idempotency key was taken (by an earlier email, or an earlier input of this call) goes
   * through `create` afterwards, which answers the winner. Any other failure removes what this call
   * wrote and throws: no email is left without its body.
   */
  async createMany(inputs: CreateEmailInput[]): Promise<{ email: EmailRecord; created: boolean }[]> {
    if (inputs.length === 0) return [];
    const taken = new Set<number>();
    try {
      await this.emails.insertMany(
        inputs.map(({ email }) => ({ ...emailBody(email), _id: email.id, rev: 0 }) as OptionalUnlessRequiredId<EmailDoc>),
        { ordered: false },
      );
    } catch (error) {
      const writeErrors = bulkWriteErrors(error);
      const duplicates = !!writeErrors && writeErrors.length > 0 && writeErrors.every((e) => isWriteDuplicateOn(e, IDEMPOTENCY_INDEX));
      if (!duplicates) {
        const failed = new Set(writeErrors?.map((e) => e.index) ?? []);
        await this.removeWritten(inputs.filter((_, i) => !failed.has(i)).map(({ email }) => email));
        throw error;
      }
      for (const e of writeErrors!) taken.add(e.index);
    }
    const written = inputs.filter((_, i) => !taken.has(i));
    if (written.length > 0) {
      try {
        await this.contents.insertMany(written.map(({ email, content }) => contentToDoc(email, content)));
      } catch (error) {
        await this.removeWritten(written.map(({ email }) => email));
        this.logger.warn({ emails: written.length, err: error }, 'batch email contents could not be stored; emails removed');
        throw error;
      }
    }
    const results: { email: EmailRecord; created: boolean }[] = [];
    for (const [i, input] of inputs.entries())
      results.push(taken.has(i) ? await this.create(input) : { email: input.email, created: true });
    return results;
  }

  /** Undoes a batch's writes: the records first (they hold the idempotency keys), then any content. */
  private async removeWritten(emails: EmailRecord[]): Promise<void> {
    if (emails.length === 0) return;
    const ids = emails.map((e) => e.id);
    await this.emails.deleteMany({ _id: { $in: ids }, tenantId: { $in: [...new Set(emails.map((e) => e.tenantId))] } });
    await this.contents.deleteMany({ _id: { $in: ids } });
  }

  async get(tenantId: string, id: string): Promise<EmailRecord | null> {
    const doc = await this.emails.findOne({ _id: id, tenantId });
    return doc ? emailFromDoc(doc) : null;
  }

  async getContent(tenantId: string, id: string): Promise<EmailContent | null> {
    const doc = await this.contents.findOne({ _id: id, tenantId });
    return doc ? contentFromDoc(doc) : null;
  }

  async update(tenantId: string, id: string, mutate: Mutator<EmailRecord>): Promise<EmailRecord | null> {
    const { doc } = await reviseDocument(
      this.emails,
      { _id: id, tenantId },
      (current) => {
        const next = mutate(emailFromDoc(current!));
        return next === null ? null : emailBody({ ...next, id, tenantId });
      },
      { insertWhenMissing: false, logger: this.logger },
    );
    return doc ? emailFromDoc(doc) : null;
  }

  async remove(tenantId: string, id: string): Promise<void> {
    // The record first: it holds the idempotency key, which a retried request may then reuse.
    const { deletedCount } = await this.emails.deleteOne({ _id: id, tenantId });
    if (deletedCount > 0) await this.contents.deleteOne({ _id: id, tenantId });
  }

  async commitPendingEnqueue(tenantId: string, id: string, owner: string): Promise<boolean> {
    // $inc rev: an optimistic update that read the pending record must not overwrite the commit.
    const { modifiedCount } = await this.emails.updateOne(
      { _id: id, tenantId, 'pendingEnqueue.owner': owner },
      { $unset: { pendingEnqueue: '' }, $inc: { rev: 1 } },
    );
    return modifiedCount === 1;
  }

  async commitPendingEnqueueMany(tenantId: string, ids: string[], owner: string): Promise<number> {
    if (ids.length === 0) return 0;
    const { modifiedCount } = await this.emails.updateMany(
      { _id: { $in: ids }, tenantId, 'pendingEnqueue.owner': owner },
      { $unset: { pendingEnqueue: '' }, $inc: { rev: 1 } },
    );
    return modifiedCount;
  }

  async removePendingEnqueue(tenantId: string, id: string, owner: string): Promise<boolean> {
    const { deletedCount } = await this.emails.deleteOne({ _id: id, tenantId, 'pendingEnqueue.owner': owner });
    if (deletedCount === 0) return false;
    await this.contents.deleteOne({ _id: id, tenantId });
    return true;
  }

  async list(tenantId: string, query: HistoryQuery): Promise<HistoryPage> {
    const filter = toHistoryFilter(tenantId, query);
    const docs = await historyCursor(this.emails, filter).toArray();
    return toHistoryPage(docs.map(emailFromDoc), filter.limit);
  }

  async listAwaitingSend(dueBefore: string, limit: number): Promise<{ tenantId: string; id: string }[]> {
    const docs = await this.emails
      .find(awaitingSendFilter(dueBefore), { projection: { tenantId: 1 } })
      .sort({ sendDueAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({ tenantId: d.tenantId, id: d._id }));
  }

  async listContentToPurge(finalBefore: string, limit: number): Promise<EmailRef[]> {
    const docs = await this.emails
      .find(contentToPurgeFilter(finalBefore), { projection: { tenantId: 1 } })
      .sort({ finalAt: 1, _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => ({ tenantId: d.tenantId, id: d._id }));
  }

  /**
   * Per email, the record is claimed first, in one conditional update (still final before the cut-off,
   * not purged: a retry that re-queued it, or another worker that got there first, makes it match
   * nothing), then its content document is deleted. A crash between the two leaves that one content
   * document behind under a record that says purged (decision 0016).
   */
  async purgeContent(emails: EmailRef[], finalBefore: string, at: string): Promise<EmailRef[]> {
    const purged: EmailRef[] = [];
    for (const { tenantId, id } of emails) {
      const claimed = await this.emails.updateOne(
        { _id: id, tenantId, ...contentToPurgeFilter(finalBefore) },
        { $set: { contentPurgedAt: at }, $inc: { rev: 1 } },
      );
      if (claimed.modifiedCount !== 1) continue;
      await this.contents.deleteOne({ _id: id, tenantId });
      purged.push({ tenantId, id });
    }
    return purged;
  }
}
