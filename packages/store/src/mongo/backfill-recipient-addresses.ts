import type { Db, Document } from 'mongodb';

const MIGRATION_ID = 'email-recipient-addresses';

/**
 * `recipientAddresses` as `emailBody()` derives it (recipientAddressesOf), in the server's words: each
 * recipient's address lower-cased, once. `$toLower` lowers ASCII letters only, which is what an address
 * the API accepts holds (and what SQLite's `lower()` did in its migrations).
 */
export const RECIPIENT_ADDRESSES_BACKFILL: Document[] = [
  {
    $set: {
      recipientAddresses: {
        $setUnion: [{ $map: { input: { $ifNull: ['$recipients', []] }, as: 'r', in: { $toLower: '$$r.email' } } }, []],
      },
      rev: { $add: ['$rev', 1] },
    },
  },
];

/**
 * Emails written before `recipientAddresses` existed get it, so the history's recipient filter (which
 * reads it) finds them. Runs once per database (a marker in `migrations`); harmless when several apps
 * start together (the filter skips what is done).
 */
export async function backfillRecipientAddresses(db: Db): Promise<number> {
  const migrations = db.collection<{ _id: string; at: string }>('migrations');
  if (await migrations.findOne({ _id: MIGRATION_ID })) return 0;
  const { modifiedCount } = await db
    .collection('emails')
    .updateMany({ recipientAddresses: { $exists: false } }, RECIPIENT_ADDRESSES_BACKFILL);
  await migrations.updateOne({ _id: MIGRATION_ID }, { $setOnInsert: { at: new Date().toISOString() } }, { upsert: true });
  return modifiedCount;
}
