import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { makeEmail } from '../../test/contract/contract-fixtures';
import { SQLITE_MIGRATIONS } from './sqlite-schema';
import { SqliteStore } from './sqlite-store';

/** Every file under `dir` holding `needle`: the database, its WAL, its shared-memory index, the attachment files. */
function filesContaining(dir: string, needle: Buffer): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((f) => statSync(path.join(dir, f)).isFile() && readFileSync(path.join(dir, f)).includes(needle))
    .sort();
}

/** The content segments under the database's content folder (decision 0042). */
function attachmentFiles(dir: string): string[] {
  const content = path.join(dir, 'mailroom.db.content');
  return (readdirSync(content, { recursive: true }) as string[]).filter((f) => statSync(path.join(content, f)).isFile());
}

describe('SqliteStore: a purge leaves no content bytes in its files', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'mailroom-purge-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  const withMarker = () => {
    const marker = `MARKER-${randomBytes(8).toString('hex')}`;
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n'), randomBytes(6000), Buffer.from(marker), randomBytes(9000)]);
    return {
      marker,
      content: {
        text: `text ${marker}-text`,
        html: `<p>${marker}-html</p>`,
        attachments: [{ filename: 'f.pdf', contentType: 'application/pdf', content: pdf }],
      },
    };
  };

  it.each([
    ['already checkpointed into the database file', true],
    ['still in the WAL', false],
  ])('content %s', async (_label, checkpointFirst) => {
    const dir = mkdtempSync(path.join(root, 'db-'));
    const store = new SqliteStore({ filename: path.join(dir, 'mailroom.db') });
    // The API's connection, open all along as in production (another process on the same file).
    const api = new SqliteStore({ filename: path.join(dir, 'mailroom.db') });
    await store.init();
    await api.init();
    const { marker, content } = withMarker();
    const email = makeEmail('t1', 'em-1', { status: 'accepted', finalAt: '2024-01-01T00:00:00.000Z', attachmentCount: 1 });
    await api.emails.create({ email, content });
    await api.emails.create({ email: makeEmail('t1', 'em-2'), content: { text: 'kept', attachments: [] } });
    if (checkpointFirst) {
      const raw = new Database(path.join(dir, 'mailroom.db'));
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
    }
    expect(filesContaining(dir, Buffer.from(marker)).length).toBeGreaterThan(0);
    // The attachment's bytes are in a content segment, not in the database (decision 0042).
    expect(attachmentFiles(dir)).toHaveLength(1);
    expect(filesContaining(path.join(dir, 'mailroom.db.content'), Buffer.from(marker))).toEqual(attachmentFiles(dir));

    expect(
      await store.emails.purgeContent([{ tenantId: 't1', id: 'em-1' }], '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'),
    ).toHaveLength(1);

    expect(filesContaining(dir, Buffer.from(marker))).toEqual([]);
    expect(await api.emails.getContent('t1', 'em-1')).toBeNull();
    expect(await api.emails.getContent('t1', 'em-2')).toEqual({ text: 'kept', attachments: [] });
    await api.close();
    await store.close();
    expect(filesContaining(dir, Buffer.from(marker))).toEqual([]);
  });

  it('a WAL checkpoint kept busy by a reader on an older snapshot is tried again until the WAL is empty', async () => {
    const dir = mkdtempSync(path.join(root, 'db-'));
    const file = path.join(dir, 'mailroom.db');
    // A short busy timeout: the purge's checkpoint gives up on the reader at once instead of waiting 5 s.
    const store = new SqliteStore({ filename: file, busyTimeoutMs: 20 });
    await store.init();
    const { marker, content } = withMarker();
    const email = makeEmail('t1', 'em-1', { status: 'accepted', finalAt: '2024-01-01T00:00:00.000Z', attachmentCount: 1 });
    await store.emails.create({ email, content });
    // Another process reading, its transaction open on the snapshot from before the purge.
    const reader = new Database(file);
    reader.prepare('BEGIN').run();
    reader.prepare('SELECT count(*) FROM emails').get();
    expect(
      await store.emails.purgeContent([{ tenantId: 't1', id: 'em-1' }], '2025-01-01T00:00:00.000Z', '2025-02-01T00:00:00.000Z'),
    ).toHaveLength(1);
    // The checkpoint could not empty the WAL: the text is still in it.
    expect(filesContaining(dir, Buffer.from(`${marker}-text`))).toEqual(['mailroom.db-wal']);
    reader.prepare('COMMIT').run();
    reader.close();
    const deadline = Date.now() + 5000;
    while (filesContaining(dir, Buffer.from(marker)).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    expect(filesContaining(dir, Buffer.from(marker))).toEqual([]);
    expect(statSync(`${file}-wal`).size).toBe(0);
    await store.close();
  });

  it('remove() (an enqueue undone) overwrites the content too', async () => {
    const dir = mkdtempSync(path.join(root, 'db-'));
    const store = new SqliteStore({ filename: path.join(dir, 'mailroom.db') });
    await store.init();
    const { marker, content } = withMarker();
    await store.emails.create({ email: makeEmail('t1', 'undone'), content });
    const checkpoint = () => {
      const raw = new Database(path.join(dir, 'mailroom.db'));
      raw.pragma('wal_checkpoint(TRUNCATE)');
      raw.close();
    };
    checkpoint();
    const [attachment] = attachmentFiles(dir);
    expect(filesContaining(dir, Buffer.from(marker))).toEqual(['mailroom.db', path.join('mailroom.db.content', attachment)]);
    await store.emails.remove('t1', 'undone');
    checkpoint();
    expect(filesContaining(dir, Buffer.from(marker))).toEqual([]);
    await store.close();
  });

  it('deletes a content segment once no row names it and nobody appended to it for an hour', async () => {
    const dir = mkdtempSync(path.join(root, 'db-'));
    const file = path.join(dir, 'mailroom.db');
    const api = new SqliteStore({ filename: file });
    await api.init();
    const final = { status: 'accepted' as const, finalAt: '2024-01-01T00:00:00.000Z' };
    await api.emails.create({ email: makeEmail('t1', 'old', final), content: withMarker().content });
    await api.close(); // the API restarted: its segment takes no more appends
    const [oldSegment] = attachmentFiles(dir);
    const later = new SqliteStore({ filename: file });
    await later.init();
    await later.emails.create({ email: makeEmail('t1', 'kept', final), content: withMarker().content });
    const cutoff = '2025-01-01T00:00:00.000Z';
    // The purge runs two hours later: both segments stopped taking appends long before.
    const twoHoursLater = new Date(Date.now() + 2 * 3600_000).toISOString();
    expect(await later.emails.purgeContent([{ tenantId: 't1', id: 'old' }], cutoff, twoHoursLater)).toHaveLength(1);
    // The old segment is gone; the one still named by 'kept' stays, and reads back.
    expect(attachmentFiles(dir)).not.toContain(oldSegment);
    expect(attachmentFiles(dir)).toHaveLength(1);
    expect((await later.emails.getContent('t1', 'kept'))!.attachments[0].content.length).toBeGreaterThan(15000);
    await later.close();
  });

  it('two connections purging the same emails at once purge each once', async () => {
    const file = path.join(mkdtempSync(path.join(root, 'db-')), 'mailroom.db');
    const [a, b] = [new SqliteStore({ filename: file }), new SqliteStore({ filename: file })];
    await a.init();
    await b.init();
    const refs = Array.from({ length: 6 }, (_, i) => ({ tenantId: 't', id: `e${i}` }));
    for (const r of refs)
      await a.emails.create({
        email: makeEmail('t', r.id, { status: 'failed', finalAt: '2024-01-01T00:00:00.000Z' }),
        content: withMarker().content,
      });
    const cutoff = '2025-01-01T00:00:00.000Z';
    const [x, y] = await Promise.all([a.emails.purgeContent(refs, cutoff, cutoff), b.emails.purgeContent(refs, cutoff, cutoff)]);
    expect([...x, ...y].map((r) => r.id).sort()).toEqual(refs.map((r) => r.id));
    await a.close();
    await b.close();
  });

  it('a file from before retention starts the clock of emails already final at their updatedAt', async () => {
    const file = path.join(mkdtempSync(path.join(root, 'db-')), 'mailroom.db');
    const v1 = new Database(file);
    v1.exec(SQLITE_MIGRATIONS[0]);
    v1.pragma('user_version = 1');
    const insert = v1.prepare('INSERT INTO emails (id, tenant_id, status, created_at, test, doc) VALUES (?, ?, ?, ?, 0, ?)');
    const done = makeEmail('t', 'done', { status: 'delivered', updatedAt: '2020-01-02T00:00:00.000Z' });
    const pending = makeEmail('t', 'pending', { status: 'deferred', updatedAt: '2020-01-02T00:00:00.000Z' });
    for (const e of [done, pending]) insert.run(e.id, e.tenantId, e.status, e.createdAt, JSON.stringify(e));
    v1.close();

    const store = new SqliteStore({ filename: file });
    await store.init();
    expect(await store.emails.listContentToPurge('2021-01-01T00:00:00.000Z', 10)).toEqual([{ tenantId: 't', id: 'done' }]);
    expect((await store.emails.get('t', 'done'))!.finalAt).toBe('2020-01-02T00:00:00.000Z');
    expect((await store.emails.get('t', 'pending'))!.finalAt).toBeUndefined();
    await store.close();
  });
});
