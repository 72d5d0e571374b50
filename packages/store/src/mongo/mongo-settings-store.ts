import type { Collection } from 'mongodb';
import type { EmailSettings } from '@mailroom/domain';
import type { Mutator, SettingsStore } from '../store.port';
import type { StoreLogger } from '../store-logger';
import { SettingsDoc, settingsBody, settingsFromDoc } from './mongo-documents';
import { reviseDocument } from './revise-document';

export class MongoSettingsStore implements SettingsStore {
  constructor(
    private readonly settings: Collection<SettingsDoc>,
    private readonly logger: StoreLogger,
  ) {}

  async get(tenantId: string): Promise<EmailSettings | null> {
    const doc = await this.settings.findOne({ _id: tenantId });
    return doc ? settingsFromDoc(doc) : null;
  }

  async put(settings: Omit<EmailSettings, 'version'>): Promise<EmailSettings> {
    const { doc } = await reviseDocument(
      this.settings,
      { _id: settings.tenantId },
      (current) => settingsBody({ ...settings, version: (current?.version ?? 0) + 1 }),
      { insertWhenMissing: true, logger: this.logger },
    );
    return settingsFromDoc(doc!);
  }

  async update(tenantId: string, mutate: Mutator<EmailSettings>): Promise<EmailSettings | null> {
    const { doc } = await reviseDocument(
      this.settings,
      { _id: tenantId },
      (current) => {
        const before = settingsFromDoc(current!);
        const next = mutate(before);
        return next === null ? null : settingsBody({ ...next, tenantId, version: before.version });
      },
      { insertWhenMissing: false, logger: this.logger },
    );
    return doc ? settingsFromDoc(doc) : null;
  }

  async listTenantIds(after: string | undefined, limit: number): Promise<string[]> {
    const docs = await this.settings
      .find(after === undefined ? {} : { _id: { $gt: after } }, { projection: { _id: 1 } })
      .sort({ _id: 1 })
      .limit(limit)
      .toArray();
    return docs.map((d) => d._id);
  }
}
