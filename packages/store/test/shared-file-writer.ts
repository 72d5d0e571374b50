/**
 * A separate OS process writing to a shared SQLite file, as the API, the worker and the webhooks do.
 * Run by sqlite-multi-process.test.ts: prints "ready", waits for "go" on stdin, then appends
 * `count` events to one email and tries one idempotent create; prints the outcome as JSON.
 */
import { SqliteStore } from '../src/sqlite/sqlite-store';
import { makeContent, makeEmail } from './contract/contract-fixtures';

async function main(): Promise<void> {
  const [file, tenantId, emailId, label, count] = process.argv.slice(2);
  const store = new SqliteStore({ filename: file, busyTimeoutMs: 20_000 });
  await store.init();
  process.stdout.write('ready\n');
  await new Promise<void>((resolve) => process.stdin.once('data', () => resolve()));

  for (let i = 0; i < Number(count); i++) {
    await store.emails.update(tenantId, emailId, (e) => ({
      ...e,
      events: [...e.events, { type: 'delivered', at: e.createdAt, key: `${label}:${i}`, source: 'worker' }],
    }));
  }
  const { email, created } = await store.emails.create({
    email: makeEmail(tenantId, `${tenantId}-${label}`, { idempotencyKey: 'one-per-key' }),
    content: makeContent(),
  });
  await store.close();
  process.stdout.write(`${JSON.stringify({ id: email.id, created })}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});
