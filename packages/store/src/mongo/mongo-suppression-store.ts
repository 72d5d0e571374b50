import type { Collection, Filter } from 'mongodb';
import { isSuppressionActive, preferSuppression, Suppression, SuppressionPage } from '@mailroom/domain';
import type { SuppressionListQuery, SuppressionStore } from '../store.port';
import type { StoreLogger } from '../store-logger';
import { prefixEnd, toSuppressionFilter, toSuppressionPage } from '../suppression-cursor';
import { reviseDocument } from './revise-document';

/** One entry: `_id` is `<tenantId>:<address>` (tenant ids hold no ":"), `rev` the optimistic revision. */
export type SuppressionDoc = Suppression & { _id: string; rev: number };

export const suppressionDocId = (tenantId: string, address: string): string => `${tenantId}:${address}`;

function fromDoc(doc: SuppressionDoc): Suppression {
  const { _id, rev: _rev, ...rest } = doc;
  return rest;
}

const active = (now: string): Filter<SuppressionDoc> => ({ $or: [{ expiresAt: { $exists: false } }, { expiresAt: { $gt: now } }] });

/**
 * Expired at `now`, for the sweep. `$type: 'string'` is the partial `expiring` index's own filter: the
 * planner proves a query a subset of a partial index's filter only from clauses it can compare, and a
 * bare `$lte` on a string is not one for `$type` (without it: a collection scan and an in-memory sort).
 */
export function expiredFilter(now: string): Filter<SuppressionDoc> {
  return { expiresAt: { $type: 'string', $lte: now } };
}

export class MongoSuppressionStore implements SuppressionStore {
  constructor(
    private readonly suppressions: Collection<SuppressionDoc>,
    private readonly logger: StoreLogger,
  ) {}

  async add(entry: Suppression, now: string): Promise<{ suppression: Suppression; created: boolean }> {
    const incoming: Suppression = { ...entry, address: entry.address.trim().toLowerCase() };
    const _id = suppressionDocId(incoming.tenantId, incoming.address);
    let created = false;
    let kept = incoming;
    await reviseDocument(
      this.suppressions,
      { _id },
      (current) => {
        const existing = current ? fromDoc(current) : null;
        created = existing === null || !isSuppressionActive(existing, now);
        const preferred = preferSuppression(existing, incoming, now);
        kept = preferred === existing ? existing : incoming;
        return preferred === existing ? null : incoming;
      },
      { insertWhenMissing: true, logger: this.logger },
    );
    return { suppression: kept, created };
  }

  async get(tenantId: string, address: string, now: string): Promise<Suppression | null> {
    const doc = await this.suppressions.findOne({
      _id: suppressionDocId(tenantId, address.trim().toLowerCase()),
      tenantId,
      ...active(now),
    });
    return doc ? fromDoc(doc) : null;
  }

  async findActive(tenantId: string, addresses: string[], now: string): Promise<Suppression[]> {
    if (addresses.length === 0) return [];
    const ids = [...new Set(addresses.map((a) => suppressionDocId(tenantId, a.trim().toLowerCase())))];
    const docs = await this.suppressions.find({ _id: { $in: ids }, tenantId, ...active(now) }).toArray();
    return docs.map(fromDoc);
  }

  async list(tenantId: string, query: SuppressionListQuery, now: string): Promise<SuppressionPage> {
    const filter = toSuppressionFilter(tenantId, query, now);
    const and: Filter<SuppressionDoc>[] = [{ tenantId }, active(now)];
    if (filter.address !== undefined) and.push({ address: filter.address });
    if (filter.addressPrefix !== undefined) and.push({ address: { $gte: filter.addressPrefix, $lt: prefixEnd(filter.addressPrefix) } });
    if (filter.reason !== undefined) and.push({ reason: filter.reason as Suppression['reason'] });
    if (filter.after !== undefined) {
      const { createdAt, address } = filter.after;
      and.push({ $or: [{ createdAt: { $lt: createdAt } }, { createdAt, address: { $lt: address } }] });
    }
    const docs = await this.suppressions
      .find({ $and: and })
      .sort({ createdAt: -1, address: -1 })
      .limit(filter.limit + 1)
      .toArray();
    return toSuppressionPage(docs.map(fromDoc), filter.limit);
  }

  async remove(tenantId: string, address: string, now: string): Promise<boolean> {
    const doc = await this.suppressions.findOneAndDelete({ _id: suppressionDocId(tenantId, address.trim().toLowerCase()), tenantId });
    return doc !== null && isSuppressionActive(doc, now);
  }

  async removeExpired(now: string, limit: number): Promise<number> {
    const expired = await this.suppressions
      .find(expiredFilter(now), { projection: { _id: 1 } })
      .sort({ expiresAt: 1 })
      .limit(limit)
      .toArray();
    if (expired.length === 0) return 0;
    const result = await this.suppressions.deleteMany({ _id: { $in: expired.map((d) => d._id) }, ...expiredFilter(now) });
    return result.deletedCount;
  }
}
