import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { at, createAll, makeEmail } from '../../test/contract/contract-fixtures';
import { SqliteStore } from './sqlite-store';

const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-group-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('SQLite updates asked for together (group commit)', () => {
  const file = path.join(dir, 'group.db');
  let store: SqliteStore;
  beforeAll(async () => {
    store = new SqliteStore({ filename: file });
    await store.init();
    await createAll(
      store,
      Array.from({ length: 20 }, (_, i) => makeEmail('t', `em-${i}`, { createdAt: at(i) })),
    );
  });
  afterAll(() => store.close());

  it('share one transaction: a hundred concurrent updates cost one commit, and none is lost', async () => {
    // WAL frames appended: each commit appends the pages it changed, so a hundred commits append hundreds.
    const probe = new Database(file);
    probe.pragma('wal_checkpoint(TRUNCATE)');
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        store.emails.update('t', `em-${i % 20}`, (e) => ({ ...e, subject: `${e.subject}+`, updatedAt: at(100 + i) })),
      ),
    );
    const [{ log: frames }] = probe.pragma('wal_checkpoint(PASSIVE)') as { log: number }[];
    probe.close();
    for (let i = 0; i < 20; i++) expect((await store.emails.get('t', `em-${i}`))!.subject).toBe('Invoice F-2024-001+++++');
    expect(frames).toBeGreaterThan(0);
    expect(frames).toBeLessThan(40);
  });

  it('one that throws is rolled back alone and rejects its own caller; the others commit', async () => {
    const results = await Promise.allSettled([
      store.emails.update('t', 'em-1', (e) => ({ ...e, subject: 'kept 1' })),
      store.emails.update('t', 'em-2', (e) => {
        throw new Error(`refused ${e.id}`);
      }),
      store.emails.update('t', 'em-3', (e) => ({ ...e, subject: 'kept 3' })),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((results[1] as PromiseRejectedResult).reason.message).toBe('refused em-2');
    expect((await store.emails.get('t', 'em-1'))!.subject).toBe('kept 1');
    expect((await store.emails.get('t', 'em-2'))!.subject).toBe('Invoice F-2024-001+++++');
    expect((await store.emails.get('t', 'em-3'))!.subject).toBe('kept 3');
  });

  it('keeps the savepoints in memory: a batch far past the 64 KiB spill mark rolls one late failure back alone', async () => {
    // temp_store = MEMORY: the sub-journal never becomes a temporary file opened and closed at each commit (decision 0046).
    expect((store as unknown as { db: Database.Database }).db.pragma('temp_store', { simple: true })).toBe(2);
    const content = (filename: string) => ({
      text: 'x',
      attachments: [{ filename, contentType: 'application/pdf', content: Buffer.from('%PDF') }],
    });
    // The failing one writes its email row, history keys and content before its attachment row is refused
    // (no filename): ROLLBACK TO must restore pages the 59 writes before it had already changed.
    const results = await Promise.allSettled(
      Array.from({ length: 60 }, (_, i) =>
        store.emails.create({
          email: makeEmail('t-batch', `b-${i}`, { createdAt: at(200 + i) }),
          content: content(i === 45 ? (null as unknown as string) : `F-${i}.pdf`),
        }),
      ),
    );
    expect(results.filter((r) => r.status === 'rejected').length).toBe(1);
    expect((results[45] as PromiseRejectedResult).reason.message).toMatch(/NOT NULL/);
    expect(await store.emails.get('t-batch', 'b-45')).toBeNull();
    for (const i of [0, 44, 46, 59]) expect((await store.emails.get('t-batch', `b-${i}`))?.id).toBe(`b-${i}`);
    const page = await store.emails.list('t-batch', { limit: 100 });
    expect(page.items.length).toBe(59);
  });
});
