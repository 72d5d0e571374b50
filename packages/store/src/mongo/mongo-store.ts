import { MongoClient, MongoClientOptions } from 'mongodb';
import type { Store } from '../store.port';
import { silentStoreLogger, StoreLogger } from '../store-logger';
import { ContentDoc, EmailDoc, SettingsDoc, TenantDoc } from './mongo-documents';
import { ensureMongoIndexes } from './mongo-indexes';
import { backfillFinalAt } from './backfill-final-at';
import { backfillSendDueAt } from './backfill-send-due-at';
import { lowerDocumentTypes } from './lower-document-types';
import { backfillRecipientAddresses } from './backfill-recipient-addresses';
import { MongoTenantStore } from './mongo-tenant-store';
import { MongoSettingsStore } from './mongo-settings-store';
import { MongoEmailStore } from './mongo-email-store';
import { MongoSuppressionStore, SuppressionDoc } from './mongo-suppression-store';
import { connectWithin } from './connect-within';

export interface MongoStoreOptions {
  /** `mongodb://` or `mongodb+srv://`. */
  url: string;
  /** The database: this, else the URL's path, else `mailroom`. */
  dbName?: string;
  logger?: StoreLogger;
  clientOptions?: MongoClientOptions;
  /** How long the first connection may take before init() gives up (default 10 s). */
  firstConnectTimeoutMs?: number;
}

/**
 * The first connection's bound. The driver's own server selection waits 30 s, then throws its whole
 * topology description; at start an operator wants to hear within seconds that STORE_URL points
 * nowhere. Later operations keep the driver's default (a failover may take longer than this).
 */
const FIRST_CONNECT_TIMEOUT_MS = 10_000;

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
  private readonly url: string;
  private readonly firstConnectTimeoutMs: number;

  constructor(options: MongoStoreOptions) {
    this.logger = options.logger ?? silentStoreLogger;
    // ignoreUndefined: an absent optional field stays absent instead of coming back as null.
    this.client = new MongoClient(options.url, { ...options.clientOptions, ignoreUndefined: true });
    this.dbName = options.dbName ?? databaseNameOf(options.url) ?? DEFAULT_DB_NAME;
    this.url = options.url;
    this.firstConnectTimeoutMs = options.firstConnectTimeoutMs ?? FIRST_CONNECT_TIMEOUT_MS;
    const db = this.client.db(this.dbName);
    this.tenants = new MongoTenantStore(db.collection<TenantDoc>('tenants'));
    this.settings = new MongoSettingsStore(db.collection<SettingsDoc>('email_settings'), this.logger);
    this.emails = new MongoEmailStore(db.collection<EmailDoc>('emails'), db.collection<ContentDoc>('email_contents'), this.logger);
    this.suppressions = new MongoSuppressionStore(db.collection<SuppressionDoc>('suppressions'), this.logger);
  }

  async init(): Promise<void> {
    await connectWithin(this.client, this.url, this.firstConnectTimeoutMs);
    await ensureMongoIndexes(this.client.db(this.dbName));
    const backfilled = await backfillFinalAt(this.client.db(this.dbName));
    if (backfilled > 0) this.logger.info({ store: 'mongo', emails: backfilled }, 'retention clock started for emails already final');
    const due = await backfillSendDueAt(this.client.db(this.dbName));
    if (due > 0) this.logger.info({ store: 'mongo', emails: due }, 'send due time set for emails written before it existed');
    const lowered = await lowerDocumentTypes(this.client.db(this.dbName));
    if (lowered > 0) this.logger.info({ store: 'mongo', emails: lowered }, 'document types lowered to match the history filter');
    const addressed = await backfillRecipientAddresses(this.client.db(this.dbName));
    if (addressed > 0) this.logger.info({ store: 'mongo', emails: addressed }, 'recipient addresses indexed for the history filter');
    this.logger.info({ store: 'mongo', db: this.dbName }, 'store ready');
  }

  async close(): Promise<void> {
    await this.client.close();
  }
}
