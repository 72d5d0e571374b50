import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeContent, makeEmail, uniqueTenantId } from '../../test/contract/contract-fixtures';
import { SqliteStore } from './sqlite-store';

const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-disk-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("SqliteStore.diskUsage: the store's files on this machine (mailroom_store_bytes)", () => {
  it('answers the database, its WAL and the attachments beside it, as they are on the disk', async () => {
    const file = path.join(dir, 'usage.db');
    const store = new SqliteStore({ filename: file });
    await store.init();
    try {
      const empty = await store.diskUsage();
      expect(empty.content).toBe(0);
      const content = makeContent();
      const tenantId = uniqueTenantId('disk');
      for (let i = 0; i < 3; i++) await store.emails.create({ email: makeEmail(tenantId, `em_${i}`), content });
      const used = await store.diskUsage();
      expect(used.database).toBe(statSync(file).size);
      expect(used.wal).toBe(statSync(`${file}-wal`).size);
      expect(used.wal).toBeGreaterThan(0);
      const attached = content.attachments.reduce((n, a) => n + a.content.length, 0);
      expect(used.content).toBe(3 * attached);
    } finally {
      await store.close();
    }
  });

  it('in memory: no database or WAL file, only the attachments in their temporary directory', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await store.init();
    try {
      const content = makeContent();
      await store.emails.create({ email: makeEmail(uniqueTenantId('mem'), 'em_1'), content });
      expect(await store.diskUsage()).toEqual({
        database: 0,
        wal: 0,
        content: content.attachments.reduce((n, a) => n + a.content.length, 0),
      });
    } finally {
      await store.close();
    }
  });
});
