/**
 * The store's side of a single enqueue, alone (decision 0046): `k` at once (a burst of k requests: they
 * share the group commit), each a create with a 30 KB attachment then the pending-enqueue commit.
 *   flock /work/team/cpu.lock timeout 300 npx tsx bench/support/store-enqueue-writes.ts [k=10] [rounds=200]
 * Prints µs per enqueue, twice (the first pass warms up). Under `perf stat -e syscalls:sys_enter_pwrite64`
 * it shows what the sub-journal's temporary file cost.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeEmail } from '../../packages/store/test/contract/contract-fixtures';
import { SqliteStore } from '../../packages/store/src/sqlite/sqlite-store';

async function main() {
  const k = Number(process.argv[2] ?? 10);
  const rounds = Number(process.argv[3] ?? 200);
  const dir = mkdtempSync(path.join(tmpdir(), 'sb-'));
  const store = new SqliteStore({ filename: path.join(dir, 'x.db') });
  await store.init();
  const pdf = randomBytes(30 * 1024);
  let n = 0;
  const one = async () => {
    const id = `em-${n++}`;
    const owner = randomUUID();
    const email = { ...makeEmail('t', id, { idempotencyKey: id }), pendingEnqueue: { owner, since: new Date().toISOString() } };
    await store.emails.create({
      email,
      content: { text: 'x', attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', content: pdf }] },
    });
    await store.emails.commitPendingEnqueue('t', id, owner);
  };
  for (let w = 0; w < 2; w++) {
    const t = process.hrtime.bigint();
    for (let r = 0; r < rounds; r++) await Promise.all(Array.from({ length: k }, one));
    console.log(`k=${k}: ${(Number(process.hrtime.bigint() - t) / 1e3 / (rounds * k)).toFixed(0)} us per enqueue write pair`);
  }
  await store.close();
}
void main();
