import type { Db } from 'mongodb';
import { FINAL_STATUSES } from '@mailroom/domain';

const MIGRATION_ID = 'email-final-at';

/**
 * Emails written before content retention existed have no `finalAt`: those already in a final status
 * start their retention clock at `updatedAt`, as the SQLite migration does. Runs once per database (a
 * marker in `migrations`); harmless when several apps start together (the filter skips what is done).
 */
export async function backfillFinalAt(db: Db): Promise<number> {
  const migrations = db.collection<{ _id: string; at: string }>('migrations');
  if (await migrations.findOne({ _id: MIGRATION_ID })) return 0;
  const { modifiedCount } = await db
    .collection('emails')
    .updateMany({ finalAt: { $exists: false }, status: { $in: [...FINAL_STATUSES] } }, [
      { $set: { finalAt: '$updatedAt', rev: { $add: ['$rev', 1] } } },
    ]);
  await migrations.updateOne({ _id: MIGRATION_ID }, { $setOnInsert: { at: new Date().toISOString() } }, { upsert: true });
  return modifiedCount;
}
