import type {
  EmailContent,
  EmailRecord,
  EmailSettings,
  HistoryPage,
  HistoryQuery,
  Suppression,
  SuppressionPage,
  SuppressionReason,
  Tenant,
} from '@mailroom/domain';

/** Returned by a mutator to leave the record as it is (no write, no updatedAt bump). */
export type Mutator<T> = (current: T) => T | null;

export interface TenantUpsert {
  id: string;
  name: string;
  plan: Tenant['plan'];
  /** A string sets the contact address, `null` removes it, left out keeps the stored one. */
  email?: string | null;
}

export interface TenantStore {
  /** Insert or update name/plan (and email, see TenantUpsert); keeps createdAt. */
  upsert(tenant: TenantUpsert, now: string): Promise<Tenant>;
  get(id: string): Promise<Tenant | null>;
}

export interface SettingsStore {
  get(tenantId: string): Promise<EmailSettings | null>;
  /** Replaces the settings; the stored version becomes previous version + 1 (1 for the first). */
  put(settings: Omit<EmailSettings, 'version'>): Promise<EmailSettings>;
  /** Read-modify-write without bumping `version` (webhook state, lastEventAt). Atomic per tenant. */
  update(tenantId: string, mutate: Mutator<EmailSettings>): Promise<EmailSettings | null>;
  /**
   * The ids of tenants that have settings, in ascending order, after `after` (exclusive), at most
   * `limit`: a keyset page, for operations that visit every tenant's settings (re-sealing secrets).
   */
  listTenantIds(after: string | undefined, limit: number): Promise<string[]>;
}

/** An email, by tenant and id. */
export interface EmailRef {
  tenantId: string;
  id: string;
}

export interface CreateEmailInput {
  email: EmailRecord;
  content: EmailContent;
}

export interface EmailStore {
  /**
   * Writes record and content together. When `email.idempotencyKey` is set and another email of the
   * same tenant already has it, writes nothing and returns that one with `created: false`: this holds
   * under concurrent identical calls (a unique index decides, not a read-then-write).
   */
  create(input: CreateEmailInput): Promise<{ email: EmailRecord; created: boolean }>;
  /**
   * `create` for many emails at once (the batch enqueue), one answer per input in the same order, each
   * with `create`'s idempotency rule (an input whose key an earlier input of the same call holds answers
   * that one). Written together where the store allows: one transaction in SQLite, bulk inserts in
   * Mongo. All or nothing when it throws in SQLite; in Mongo an email whose content could not be
   * written is removed again before it throws, so none is left without its body.
   */
  createMany(inputs: CreateEmailInput[]): Promise<{ email: EmailRecord; created: boolean }[]>;
  get(tenantId: string, id: string): Promise<EmailRecord | null>;
  getContent(tenantId: string, id: string): Promise<EmailContent | null>;
  /**
   * Atomic read-modify-write of one email (optimistic concurrency in Mongo, an IMMEDIATE transaction
   * in SQLite): concurrent webhook events and worker updates never lose each other's changes.
   * The mutator may be called more than once; it must be pure.
   */
  update(tenantId: string, id: string, mutate: Mutator<EmailRecord>): Promise<EmailRecord | null>;
  /** Removes an email and its content. */
  remove(tenantId: string, id: string): Promise<void>;
  /**
   * The enqueue that wrote `pendingEnqueue` with this owner has added its job: drop the marker. One
   * small conditional write (the enqueue hot path). False when the marker is gone or another owner's.
   */
  commitPendingEnqueue(tenantId: string, id: string, owner: string): Promise<boolean>;
  /** `commitPendingEnqueue` for a batch's emails, together (one transaction in SQLite, one updateMany in Mongo); answers how many it committed. */
  commitPendingEnqueueMany(tenantId: string, ids: string[], owner: string): Promise<number>;
  /**
   * Undoes an enqueue whose job could not be added: removes the email and its content only while it
   * is still pending under this owner (not committed by a worker, not taken over by a replay).
   * Atomic; true when it removed it.
   */
  removePendingEnqueue(tenantId: string, id: string, owner: string): Promise<boolean>;
  /**
   * Newest first, stable order (createdAt desc, id desc), keyset cursor: pages neither skip nor repeat
   * while new emails arrive. `status` matches the email's status or any recipient's; `recipient`
   * matches any of to/cc/bcc exactly (lower-cased).
   */
  list(tenantId: string, query: HistoryQuery): Promise<HistoryPage>;
  /**
   * Emails that still wait for a send of ours (domain `sendDueAt`: queued, sending, or deferred by
   * our retry) whose due time is before `dueBefore`, oldest due first, across tenants: for the sweep
   * that checks their jobs. Served by an index on the derived due time.
   */
  listAwaitingSend(dueBefore: string, limit: number): Promise<EmailRef[]>;
  /**
   * Emails whose content may go: `finalAt` at or before `finalBefore` and content not purged yet;
   * oldest `finalAt` first, across tenants. For the worker's retention sweep.
   */
  listContentToPurge(finalBefore: string, limit: number): Promise<EmailRef[]>;
  /**
   * Deletes the body and attachments of each given email that still qualifies (`finalAt` at or before
   * `finalBefore`, content not purged: a retry may have re-queued it since it was listed) and sets its
   * `contentPurgedAt` to `at`; the rest of the record stays. Checked and done atomically per email, so
   * two workers running it at once purge each email once. Answers the emails it purged. Afterwards no
   * byte of that content is left readable in the store's files (SQLite: secure_delete, WAL checkpoint).
   */
  purgeContent(emails: EmailRef[], finalBefore: string, at: string): Promise<EmailRef[]>;
}

export interface SuppressionListQuery {
  /** Exactly this address (lower-cased by the store). */
  address?: string;
  /** Addresses starting with this (lower-cased by the store). */
  addressPrefix?: string;
  reason?: SuppressionReason;
  limit: number;
  /** The `nextCursor` of the previous page; one the store did not issue throws InvalidCursorError. */
  cursor?: string;
}

/**
 * Each tenant's suppression list, keyed by (tenant, lower-cased address). Every method takes the
 * tenant: one tenant's entries never answer for another. An entry past its `expiresAt` is absent to
 * every read (and `removeExpired` deletes it for good). Times are ISO strings in UTC.
 */
export interface SuppressionStore {
  /**
   * Adds the entry, atomically against concurrent adds of the same address: what is kept is
   * `preferSuppression(existing, entry, now)` (a permanent entry is never replaced by an expiring one).
   * `created`: there was no active entry before.
   */
  add(entry: Suppression, now: string): Promise<{ suppression: Suppression; created: boolean }>;
  /** The active entry for this address, or null. */
  get(tenantId: string, address: string, now: string): Promise<Suppression | null>;
  /** The active entries among `addresses` (any case), in one query: the send path's batch check. */
  findActive(tenantId: string, addresses: string[], now: string): Promise<Suppression[]>;
  /** Active entries, newest first (createdAt desc, address desc), keyset cursor. */
  list(tenantId: string, query: SuppressionListQuery, now: string): Promise<SuppressionPage>;
  /** Removes the entry; true when an active one was there (an expired one is removed too, and answers false). */
  remove(tenantId: string, address: string, now: string): Promise<boolean>;
  /** Deletes up to `limit` entries expired at `now`, across tenants (for the worker's sweep); answers how many. */
  removeExpired(now: string, limit: number): Promise<number>;
}

/** What a store on this machine's disk holds there, in bytes (`mailroom_store_bytes`). */
export interface StoreDiskUsage {
  /** The database file. */
  database: number;
  /** Its write-ahead log: bounded by the checkpoints (decision 0052); a large one means they fall behind. */
  wal: number;
  /** The attachments' bytes beside the database (content segments, decision 0042). */
  content: number;
}

export interface Store {
  readonly kind: 'sqlite' | 'mongo';
  tenants: TenantStore;
  settings: SettingsStore;
  emails: EmailStore;
  suppressions: SuppressionStore;
  /** Creates tables/collections and indexes. Idempotent. */
  init(): Promise<void>;
  close(): Promise<void>;
  /** The store's files on this machine's disk (SQLite); absent where the store is a server of its own (MongoDB). */
  diskUsage?(): Promise<StoreDiskUsage>;
}
