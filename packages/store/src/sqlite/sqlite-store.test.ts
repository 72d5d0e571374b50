import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { EmailRecord, HistoryQuery } from '@mailroom/domain';
import { describeStoreContract } from '../../test/contract/store.contract';
import { at, comparableContent, historyQuery, makeContent, makeEmail, uniqueTenantId } from '../../test/contract/contract-fixtures';
import { SqliteStore } from './sqlite-store';
import { migrateSqliteSchema, SQLITE_SCHEMA_VERSION } from './sqlite-schema';

const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-store-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// A directory that does not exist yet: the store creates it.
describeStoreContract('sqlite', async () => new SqliteStore({ filename: path.join(dir, 'contract', 'nested', 'mailroom.db') }));

describe('SqliteStore on a shared file (API, worker and webhooks are separate processes)', () => {
  const file = path.join(dir, 'shared.db');
  let api: SqliteStore;
  let worker: SqliteStore;

  beforeAll(async () => {
    api = new SqliteStore({ filename: file });
    worker = new SqliteStore({ filename: file });
    await Promise.all([api.init(), worker.init()]);
  });

  afterAll(async () => {
    await api.close();
    await worker.close();
  });

  it('opens the file in WAL mode with the current schema version', () => {
    const db = new Database(file, { readonly: true });
    try {
      expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
      expect(db.pragma('user_version', { simple: true })).toBe(SQLITE_SCHEMA_VERSION);
    } finally {
      db.close();
    }
  });

  it('each connection sees the other’s writes', async () => {
    const tenantId = uniqueTenantId('shared');
    const email = makeEmail(tenantId, `${tenantId}-e1`);
    await api.tenants.upsert({ id: tenantId, name: 'Acme', plan: 'premium' }, at(0));
    const content = makeContent();
    await api.emails.create({ email, content });

    expect(await worker.tenants.get(tenantId)).toMatchObject({ name: 'Acme' });
    expect(await worker.emails.get(tenantId, email.id)).toEqual(email);
    expect(comparableContent(await worker.emails.getContent(tenantId, email.id))).toEqual(comparableContent(content));

    await worker.emails.update(tenantId, email.id, (e) => ({ ...e, status: 'accepted', messageId: '<m@acme.test>' }));
    expect(await api.emails.get(tenantId, email.id)).toMatchObject({ status: 'accepted', messageId: '<m@acme.test>' });
    expect((await api.emails.list(tenantId, historyQuery({ status: 'accepted' }))).items.map((e) => e.id)).toEqual([email.id]);
  });

  it('concurrent updates and idempotent creates through both connections lose nothing', async () => {
    const tenantId = uniqueTenantId('shared');
    const email = makeEmail(tenantId, `${tenantId}-e1`);
    await api.emails.create({ email, content: makeContent() });
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? api : worker).emails.update(tenantId, email.id, (e) => ({
          ...e,
          events: [...e.events, { type: 'delivered', at: at(i), key: `k${i}`, source: 'sendgrid' }],
        })),
      ),
    );
    expect((await api.emails.get(tenantId, email.id))!.events).toHaveLength(21);

    const creates = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        (i % 2 ? api : worker).emails.create({
          email: makeEmail(tenantId, `${tenantId}-k${i}`, { idempotencyKey: 'same' }),
          content: makeContent(),
        }),
      ),
    );
    expect(creates.filter((c) => c.created)).toHaveLength(1);
    expect(new Set(creates.map((c) => c.email.id)).size).toBe(1);
  });

  it('a store reopened on the file keeps its data and does not migrate again', async () => {
    const tenantId = uniqueTenantId('reopen');
    await api.settings.put({ tenantId, mode: 'platform', senderName: 'Acme', replyTo: 'a@acme.test', cc: [], bcc: [], updatedAt: at(0) });
    const again = new SqliteStore({ filename: file });
    await again.init();
    expect(await again.settings.get(tenantId)).toMatchObject({ version: 1, senderName: 'Acme' });
    await again.close();
  });
});

describe('SqliteStore on a file written by schema version 6 (the status indexed twice)', () => {
  it('drops emails_by_status, and the status filter still answers from the history keys', async () => {
    const file = path.join(dir, 'v6.db');
    const v6 = new SqliteStore({ filename: file });
    await v6.init();
    const email = makeEmail('t-v6', 'em-v6', { createdAt: at(0), updatedAt: at(0) });
    await v6.emails.create({ email, content: makeContent() });
    await v6.close();
    const raw = new Database(file);
    raw.exec('CREATE INDEX emails_by_status ON emails (tenant_id, status, created_at DESC, id DESC)');
    raw.pragma('user_version = 6');
    raw.close();

    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      await store.emails.update('t-v6', 'em-v6', (e) => ({ ...e, status: 'accepted' }));
      const indexes = new Database(file, { readonly: true });
      const names = (
        indexes.prepare("SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'emails'").all() as { name: string }[]
      ).map((r) => r.name);
      indexes.close();
      expect(names).not.toContain('emails_by_status');
      expect(names).toContain('emails_history');
      expect((await store.emails.list('t-v6', historyQuery({ status: 'accepted' }))).items.map((e) => e.id)).toEqual(['em-v6']);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore on a file written by schema version 7 (document types as the platform spelled them)', () => {
  it('lowers document.type, so the history filter for invoice finds an email enqueued as Invoice', async () => {
    const file = path.join(dir, 'v7.db');
    const v7 = new SqliteStore({ filename: file });
    await v7.init();
    const email = makeEmail('t-v7', 'em-v7', { document: { type: 'Invoice', id: 'inv_1' }, createdAt: at(0), updatedAt: at(0) });
    await v7.emails.create({ email, content: makeContent() });
    await v7.close();
    const raw = new Database(file);
    raw.pragma('user_version = 7');
    raw.close();

    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      const page = await store.emails.list('t-v7', historyQuery({ documentType: 'invoice' }));
      expect(page.items.map((e) => [e.id, e.document?.type])).toEqual([['em-v7', 'invoice']]);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore on a file written by schema version 1', () => {
  it('adds the tenant email and the sweep due time, backfilled for what waits for a send', async () => {
    const file = path.join(dir, 'v1.db');
    const v1 = new Database(file);
    migrateSqliteSchema(v1, 1);
    const insert = v1.prepare(
      'INSERT INTO emails (id, tenant_id, status, document_type, document_id, created_at, idempotency_key, test, doc) VALUES (?, ?, ?, NULL, NULL, ?, NULL, 0, ?)',
    );
    const old = makeEmail('t-v1', 'em-queued', { createdAt: at(0), updatedAt: at(5) });
    const legacyRetry = makeEmail('t-v1', 'em-retry', { status: 'deferred', createdAt: at(0), updatedAt: at(6) });
    const providerDeferred = makeEmail('t-v1', 'em-provider', {
      status: 'deferred',
      messageId: '<m@x>',
      createdAt: at(0),
      updatedAt: at(7),
    });
    for (const e of [old, legacyRetry, providerDeferred]) insert.run(e.id, e.tenantId, e.status, e.createdAt, JSON.stringify(e));
    v1.prepare("INSERT INTO tenants (id, name, plan, created_at, updated_at) VALUES ('t-v1', 'Old', 'free', ?, ?)").run(at(0), at(0));
    v1.close();

    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      expect(await store.tenants.get('t-v1')).toEqual({ id: 't-v1', name: 'Old', plan: 'free', createdAt: at(0), updatedAt: at(0) });
      expect((await store.emails.listAwaitingSend(at(100), 10)).map((r) => r.id)).toEqual(['em-queued', 'em-retry']);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore on a file written by schema version 4 (recipients in their own table)', () => {
  it('finds the emails by status and recipient afterwards, from keys backfilled out of the old rows', async () => {
    const file = path.join(dir, 'v4.db');
    const v4 = new Database(file);
    migrateSqliteSchema(v4, 4);
    const email = makeEmail('t-v4', 'em-old', {
      createdAt: at(3),
      status: 'delivered',
      to: [{ email: 'ana@example.com' }],
      cc: [{ email: 'cfo@example.com' }],
      recipients: [
        { email: 'ana@example.com', kind: 'to', status: 'delivered', updatedAt: at(4) },
        { email: 'cfo@example.com', kind: 'cc', status: 'bounced', updatedAt: at(4) },
      ],
    });
    v4.prepare(
      "INSERT INTO emails (id, tenant_id, status, document_type, document_id, created_at, idempotency_key, test, doc) VALUES (?, ?, ?, 'invoice', 'inv-1', ?, NULL, 0, ?)",
    ).run(email.id, email.tenantId, email.status, email.createdAt, JSON.stringify(email));
    const recipient = v4.prepare('INSERT INTO email_recipients (email_id, tenant_id, address, status) VALUES (?, ?, ?, ?)');
    for (const r of email.recipients) recipient.run(email.id, email.tenantId, r.email, r.status);
    v4.close();

    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      const ids = async (q: Partial<HistoryQuery>) => (await store.emails.list('t-v4', { limit: 10, ...q })).items.map((e) => e.id);
      expect(await ids({ status: 'bounced' })).toEqual(['em-old']);
      expect(await ids({ status: 'delivered', recipient: 'CFO@example.com' })).toEqual(['em-old']);
      expect(await ids({ status: 'queued' })).toEqual([]);
      // Updated afterwards, the keys follow the record.
      await store.emails.update('t-v4', 'em-old', (e) => ({
        ...e,
        recipients: e.recipients.map((r) => ({ ...r, status: 'complained' as const })),
      }));
      expect(await ids({ status: 'complained', recipient: 'ana@example.com' })).toEqual(['em-old']);
    } finally {
      await store.close();
    }
  });
});

describe('SqliteStore: attachments in content segments beside the database (schema version 6, decision 0042)', () => {
  const contentFiles = (file: string) =>
    (readdirSync(`${file}.content`, { recursive: true }) as string[]).filter((f) => statSync(path.join(`${file}.content`, f)).isFile());

  it('reads the BLOBs of emails written before, and appends new attachments to a segment', async () => {
    const file = path.join(dir, 'v5.db');
    const v5 = new SqliteStore({ filename: file });
    const db = new Database(file);
    migrateSqliteSchema(db, 5);
    const old = makeEmail('t-v5', 'em-before');
    const content = makeContent();
    db.prepare("INSERT INTO emails (id, tenant_id, status, created_at, test, doc) VALUES (?, ?, 'queued', ?, 0, ?)").run(
      old.id,
      old.tenantId,
      old.createdAt,
      JSON.stringify(old),
    );
    db.prepare('INSERT INTO email_contents (email_id, text, html) VALUES (?, ?, ?)').run(old.id, content.text, content.html);
    content.attachments.forEach((a, i) =>
      db
        .prepare('INSERT INTO email_attachments (email_id, position, filename, content_type, content) VALUES (?, ?, ?, ?, ?)')
        .run(old.id, i, a.filename, a.contentType, a.content),
    );
    db.close();
    await v5.close();

    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      expect(comparableContent(await store.emails.getContent('t-v5', 'em-before'))).toEqual(comparableContent(content));
      await store.emails.create({ email: makeEmail('t-v5', 'em-after'), content });
      expect(contentFiles(file)).toHaveLength(1);
      expect(comparableContent(await store.emails.getContent('t-v5', 'em-after'))).toEqual(comparableContent(content));
      const blobBytes = new Database(file)
        .prepare("SELECT sum(length(content)) AS n FROM email_attachments WHERE email_id = 'em-after'")
        .get() as {
        n: number;
      };
      expect(blobBytes.n).toBe(0);
    } finally {
      await store.close();
    }
  });

  it('erases the bytes of a create the idempotency key answers, or of one that fails, and nothing else', async () => {
    const file = path.join(dir, 'replays.db');
    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      const first = makeEmail('t-r', 'em-first', { idempotencyKey: 'k-1' });
      const kept = makeContent();
      await store.emails.create({ email: first, content: kept });
      const replayed = makeContent();
      const replay = await store.emails.create({ email: makeEmail('t-r', 'em-replay', { idempotencyKey: 'k-1' }), content: replayed });
      expect(replay).toMatchObject({ created: false, email: { id: 'em-first' } });
      // An insert that fails (a record the table refuses: no status): its bytes go, not the first email's.
      const failed = makeContent();
      const refused = { ...makeEmail('t-r', 'em-refused'), status: null } as unknown as EmailRecord;
      const outcome = await store.emails.create({ email: refused, content: failed }).then(
        (resolved) => ({ resolved }),
        (e: unknown) => ({ rejected: String(e) }),
      );
      expect(outcome).toEqual({ rejected: expect.stringMatching(/NOT NULL/) });
      const [segment] = contentFiles(file);
      const bytes = readFileSync(path.join(`${file}.content`, segment));
      expect(bytes.includes(replayed.attachments[0].content)).toBe(false);
      expect(bytes.includes(failed.attachments[0].content)).toBe(false);
      expect(comparableContent(await store.emails.getContent('t-r', 'em-first'))).toEqual(comparableContent(kept));
    } finally {
      await store.close();
    }
  });
});
