import type { Db } from 'mongodb';

const MIGRATION_ID = 'email-document-type-lower-case';

/**
 * document.type is stored in lower case (the enqueue lowers it, and the history's filter): emails
 * enqueued before as `Invoice` are lowered once, so `invoice` finds them. Runs once per database (a
 * marker in `migrations`); harmless when several apps start together (the filter skips what is done).
 */
export async function lowerDocumentTypes(db: Db): Promise<number> {
  const migrations = db.collection<{ _id: string; at: string }>('migrations');
  if (await migrations.findOne({ _id: MIGRATION_ID })) return 0;
  const { modifiedCount } = await db
    .collection('emails')
    .updateMany({ 'document.type': { $regex: '[A-Z]' } }, [
      { $set: { 'document.type': { $toLower: '$document.type' }, rev: { $add: ['$rev', 1] } } },
    ]);
  await migrations.updateOne({ _id: MIGRATION_ID }, { $setOnInsert: { at: new Date().toISOString() } }, { upsert: true });
  return modifiedCount;
}
