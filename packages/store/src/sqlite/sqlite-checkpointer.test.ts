import { randomBytes } from 'node:crypto';
import { closeSync, mkdtempSync, openSync, readSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeContent, makeEmail, uniqueTenantId } from '../../test/contract/contract-fixtures';
import Database from 'better-sqlite3';
import { silentStoreLogger } from '../store-logger';
import { SqliteCheckpointer } from './sqlite-checkpointer';
import { SqliteStore } from './sqlite-store';

const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-checkpoint-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The WAL header's checkpoint sequence number (bytes 12-15): it grows each time a writer starts the WAL over. */
function walCheckpointSequence(wal: string): number {
  const fd = openSync(wal, 'r');
  try {
    const header = Buffer.alloc(16);
    readSync(fd, header, 0, 16, 0);
    return header.readUInt32BE(12);
  } finally {
    closeSync(fd);
  }
}

describe('WAL checkpoints in their own thread (decision 0045)', () => {
  it('copies the WAL into the database in the background, without a commit doing it', async () => {
    const file = path.join(dir, 'bg.db');
    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      // Nothing here checkpoints (50 emails are far from any automatic checkpoint's 1,000 or 10,000 pages):
      // the database file grows only when the thread copies the WAL's pages into it.
      await new Promise((r) => setTimeout(r, 600));
      const before = statSync(file).size;
      const tenantId = uniqueTenantId('wal');
      for (let i = 0; i < 50; i++) await store.emails.create({ email: makeEmail(tenantId, `em_${i}`), content: makeContent() });
      expect(statSync(`${file}-wal`).size).toBeGreaterThan(0);
      const deadline = Date.now() + 5000;
      while (statSync(file).size <= before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(statSync(file).size).toBeGreaterThan(before);
    } finally {
      await store.close();
    }
  });

  it('lets the WAL start over while commits keep coming, instead of growing as long as they do (decision 0052)', async () => {
    const file = path.join(dir, 'steady.db');
    const db = new Database(file);
    db.pragma('journal_mode = WAL');
    db.pragma('wal_autocheckpoint = 0');
    db.exec('CREATE TABLE t (id INTEGER PRIMARY KEY, body BLOB)');
    const insert = db.prepare('INSERT INTO t (body) VALUES (?)');
    const commit = db.transaction(() => {
      for (let i = 0; i < 4; i++) insert.run(randomBytes(2000));
    });
    // A round every 20 ms, taking the write lock past 50 frames (the store's default is 10,000: 40 MB).
    const checkpointer = new SqliteCheckpointer(file, silentStoreLogger, () => undefined, 20, 50);
    try {
      commit();
      const first = walCheckpointSequence(`${file}-wal`);
      // Commits with no pause between them for a second and a half: a PASSIVE checkpoint alone never
      // finds every frame copied, so no writer ever started the WAL over (the old thread's behaviour).
      const until = Date.now() + 1500;
      while (Date.now() < until) {
        commit();
        await new Promise((r) => setImmediate(r));
      }
      expect(walCheckpointSequence(`${file}-wal`)).toBeGreaterThan(first);
    } finally {
      await checkpointer.close();
      db.close();
    }
  });

  it('closes with the store (the thread ends; the file can be removed)', async () => {
    const file = path.join(dir, 'close.db');
    const store = new SqliteStore({ filename: file });
    await store.init();
    await store.close();
    rmSync(file);
  });
});
