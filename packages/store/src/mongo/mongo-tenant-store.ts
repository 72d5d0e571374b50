import type { Collection } from 'mongodb';
import type { Tenant } from '@mailroom/domain';
import type { TenantStore, TenantUpsert } from '../store.port';
import { isDuplicateKeyError } from './mongo-errors';
import { TenantDoc, tenantFromDoc } from './mongo-documents';

export class MongoTenantStore implements TenantStore {
  constructor(private readonly tenants: Collection<TenantDoc>) {}

  async upsert(tenant: TenantUpsert, now: string): Promise<Tenant> {
    const set = {
      name: tenant.name,
      plan: tenant.plan,
      updatedAt: now,
      ...(typeof tenant.email === 'string' ? { email: tenant.email } : {}),
    };
    const write = () =>
      this.tenants.findOneAndUpdate(
        { _id: tenant.id },
        {
          $set: set,
          $setOnInsert: { createdAt: now },
          ...(tenant.email === null ? { $unset: { email: '' as const } } : {}),
        },
        { upsert: true, returnDocument: 'after' },
      );
    let doc: TenantDoc | null;
    try {
      doc = await write();
    } catch (error) {
      // Two upserts of a new tenant can race to insert; the loser's retry updates the winner's document.
      if (!isDuplicateKeyError(error)) throw error;
      doc = await write();
    }
    if (!doc) throw new Error(`tenant ${tenant.id}: upsert returned no document`);
    return tenantFromDoc(doc);
  }

  async get(id: string): Promise<Tenant | null> {
    const doc = await this.tenants.findOne({ _id: id });
    return doc ? tenantFromDoc(doc) : null;
  }
}
