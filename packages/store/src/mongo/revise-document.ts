import type { Collection, Filter, OptionalUnlessRequiredId, WithoutId } from 'mongodb';
import type { StoreLogger } from '../store-logger';
import { isDuplicateKeyError } from './mongo-errors';

export interface Revisioned {
  _id: string;
  rev: number;
}

export interface ReviseOptions {
  /** Insert (at rev 1) when no document matches, instead of answering null. */
  insertWhenMissing: boolean;
  logger: StoreLogger;
  maxAttempts?: number;
}

const DEFAULT_MAX_ATTEMPTS = 100;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Optimistic read-modify-write of one document: read it, compute the next body, and replace only if
 * `rev` is still the one read; another writer got in first otherwise, so read again and retry (with
 * a short jittered pause). `revise` may therefore run more than once and must be pure. It returns
 * null to write nothing.
 */
export async function reviseDocument<D extends Revisioned>(
  collection: Collection<D>,
  filter: Filter<D> & { _id: string },
  revise: (current: D | null) => Omit<D, '_id' | 'rev'> | null,
  options: ReviseOptions,
): Promise<{ doc: D | null; written: boolean }> {
  const maxAttempts = options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
  for (let attempt = 1; attempt <= maxAttempts; attempt++) {
    const current = (await collection.findOne(filter)) as D | null;
    if (current === null && !options.insertWhenMissing) return { doc: null, written: false };
    const body = revise(current);
    if (body === null) return { doc: current, written: false };
    if (current === null) {
      const doc = { ...body, _id: filter._id, rev: 1 } as D;
      try {
        await collection.insertOne(doc as OptionalUnlessRequiredId<D>);
        return { doc, written: true };
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
      }
    } else {
      const rev = current.rev + 1;
      const result = await collection.replaceOne({ _id: current._id, rev: current.rev } as Filter<D>, { ...body, rev } as WithoutId<D>);
      if (result.matchedCount === 1) return { doc: { ...body, _id: current._id, rev } as D, written: true };
    }
    options.logger.debug({ collection: collection.collectionName, id: filter._id, attempt }, 'concurrent update: retrying');
    await pause(Math.floor(Math.random() * Math.min(2 * attempt, 20)));
  }
  throw new Error(`${collection.collectionName} ${filter._id}: gave up after ${maxAttempts} attempts lost to concurrent updates`);
}
