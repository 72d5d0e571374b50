import { MongoClient, MongoClientOptions } from 'mongodb';
import type { Store } from '../store.port';
import { silentStoreLogger, StoreLogger } from '../store-logger';
import { ContentDoc, EmailDoc, SettingsDoc, TenantDoc } from './mongo-documents';
import { ensureMongoIndexes } from './mongo-indexes';
import { backfillFinalAt } from './backfill-final-at';
import { lowerDocumentTypes } from './lower-document-types';
import { MongoTenantStore } from './mongo-tenant-store';
import { MongoSettingsStore } from './mongo-settings-store';
import { MongoEmailStore } from './mongo-email-store';
import { MongoSuppressionStore, SuppressionDoc } from './mongo-suppression-store';

export interface MongoStoreOptions {
  /** `mongodb://` or `mongodb+srv://`. */
  url: string;
  /** The database: this, else the URL's path, else `mailroom`. */
  dbName?: string;
  logger?: StoreLogger;
  clientOptions?: MongoClientOptions;
}

const DEFAULT_DB_NAME = 'mailroom';

/** The database named in the URL path (`mongodb://h1,h2/name?...`), if any. */
export function databaseNameOf(url: string): string | undefined {
  const name = /^mongodb(?:\+srv)?:\/\/[^/]*\/([^?]*)/.exec(url)?.[1];
  return name ? decodeURIComponent(name) : undefined;
}

/**
 * The distributed store (a replica set in production). No multi-document transactions are needed:
 * each write touches one document, read-modify-writes are optimistic (`rev`), and idempotency is a
 * unique index.
 */
export class MongoStore implements Store {
  readonly kind = 'mongo' as const;
  readonly tenants: MongoTenantStore;
  readonly settings: MongoSettingsStore;
  readonly emails: MongoEmailStore;
  readonly suppressions: MongoSuppressionStore;
  private readonly client: MongoClient;
  private readonly logger: StoreLogger;
  private readonly dbName: string;

  constructor(options: MongoStoreOptions) {
    this.logger = options.logger ?? silentStoreLogger;
    // ignoreUndefined: an absent optional field stays absent instead of coming back as null.
    this.client = new MongoClient(options.url, { ...options.clientOptions, ignoreUndefined: true });
    this.dbName = options.dbName ?? databaseNameOf(options.url) ?? DEFAULT_DB_NAME;
    const db = this.client.db(this.dbName);
    this.tenants = new MongoTenantStore(db.collection<TenantDoc>('tenants'));
    this.settings = new MongoSettingsStore(db.collection<SettingsDoc>('email_settings'), this.logger);
    this.emails = new MongoEmailStore(db.collection<EmailDoc>('emails'), db.collection<ContentDoc>('email_contents'), this.logger);
    this.suppressions = new MongoSuppressionStore(db.collection<SuppressionDoc>('suppressions'), this.logger);
  }

  async init(): Promise<void> {
    await this.client.connect();
    await ensureMongoIndexes(this.client.db(this.dbName));
    const backfilled = await backfillFinalAt(this.client.db(this.dbName));
    if (backfilled > 0) this.logger.info({ store: 'mongo', emails: backfilled }, 'retention clock started for emails already final');
    const lowered = await lowerDocumentTypes(this.client.db(this.dbName));
    if (lowered > 0) this.logger.info({ store: 'mongo', emails: lowered }, 'document types lowered to match the history filter');
    this.logger.info({ store: 'mongo', db: this.dbName }, 'store ready');
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
