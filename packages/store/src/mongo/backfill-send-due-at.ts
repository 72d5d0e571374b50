import type { Db, Filter, UpdateFilter } from 'mongodb';
import { sendDueAt } from '@mailroom/domain';
import { EmailDoc, emailFromDoc } from './mongo-documents';

const MIGRATION_ID = 'email-send-due-at';

/** Emails that may wait for a send of ours (a recipient queued, sending or deferred) without the sweep's due time. */
export const SEND_DUE_AT_MISSING: Filter<EmailDoc> = {
  sendDueAt: { $exists: false },
  'recipients.status': { $in: ['queued', 'sending', 'deferred'] },
};

/**
 * The write that gives one such email its `sendDueAt`, computed by the domain's `sendDueAt` as
 * `emailBody()` does; null when nothing of it waits for a send. Conditional on the revision read, so a
 * concurrent update (which writes its own `sendDueAt`) is never overwritten with a stale one.
 */
export function sendDueAtBackfill(doc: EmailDoc): { filter: Filter<EmailDoc>; update: UpdateFilter<EmailDoc> } | null {
  const due = sendDueAt(emailFromDoc(doc));
  if (due === null) return null;
  return { filter: { _id: doc._id, rev: doc.rev, sendDueAt: { $exists: false } }, update: { $set: { sendDueAt: due } } };
}

/**
 * Emails written before `sendDueAt` existed (the sweep read `status: 'queued'` then) have none, so
 * listAwaitingSend never lists them: one still queued, sending or deferred by our retry gets it, as
 * SQLite's migration 4 gave `send_due_at`. Runs once per database (a marker in `migrations`); harmless
 * when several apps start together.
 */
export async function backfillSendDueAt(db: Db): Promise<number> {
  const migrations = db.collection<{ _id: string; at: string }>('migrations');
  if (await migrations.findOne({ _id: MIGRATION_ID })) return 0;
  const emails = db.collection<EmailDoc>('emails');
  let backfilled = 0;
  const cursor = emails.find(SEND_DUE_AT_MISSING);
  try {
    for await (const doc of cursor) {
      const write = sendDueAtBackfill(doc);
      if (write) backfilled += (await emails.updateOne(write.filter, write.update)).modifiedCount;
    }
  } finally {
    await cursor.close();
  }
  await migrations.updateOne({ _id: MIGRATION_ID }, { $setOnInsert: { at: new Date().toISOString() } }, { upsert: true });
  return backfilled;
}
