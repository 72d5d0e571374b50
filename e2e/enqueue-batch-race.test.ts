import fs from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { HeldLanes } from './support/held-lanes';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

/** Decision 0014 per item of a batch: 409 while the first request with a key is in progress; nothing stored when its job could not be added. */
describe('batch enqueue while another request with the same keys is in progress', () => {
  let m: Mailroom;
  let lanes: HeldLanes;
  const item = (key: string) => ({ idempotencyKey: key, to: ['client@customer.example'], subject: `Invoice ${key}`, text: 'Attached.' });
  const batch = (...keys: string[]) => m.call('POST', '/v1/tenants/brace/emails/batch', { items: keys.map(item) });
  const outboxed = (id: string) => fs.existsSync(path.join(m.dataDir, 'outbox', `${id}.eml`));
  const historyCount = async () => (await m.call('GET', '/v1/tenants/brace/emails?limit=200')).body.items.length as number;

  beforeAll(async () => {
    m = await startMailroom(
      { ENQUEUE_TIMEOUT_MS: '20000' },
      { apiLanes: (redis: Redis | Cluster, options) => (lanes = new HeldLanes(redis, options)) },
    );
    await m.call('PUT', '/v1/tenants/brace', { name: 'Batch Race Co', plan: 'free', email: 'r@brace.example' });
  });
  afterAll(() => m.stop());

  it('a replay answers 409 for the items still in progress and queues its new one; then the same emails, each sent once', async () => {
    const held = lanes.holdNextEnqueue();
    const first = batch('r-1', 'r-2');
    await held.entered;

    const replay = await batch('r-1', 'r-2', 'r-3');
    expect(replay.status).toBe(207);
    const [p1, p2, fresh] = replay.body.results;
    for (const p of [p1, p2]) expect(p.error).toMatchObject({ code: 'idempotency_key_in_progress', details: { retryAfterSeconds: 1 } });
    expect(fresh).toMatchObject({ index: 2, status: 'queued' });

    held.release('add');
    const done = await first;
    expect(done.status).toBe(207);
    const ids = done.body.results.map((r: { id: string; status: string }) => {
      expect(r.status).toBe('queued');
      return r.id;
    });
    expect(p1.error.message).toContain(ids[0]);

    const again = await batch('r-1', 'r-2', 'r-3');
    expect(again.body.results.map((r: { id: string }) => r.id)).toEqual([...ids, fresh.id]);
    for (const id of [...ids, fresh.id]) {
      await waitForEmail(m, 'brace', id, SETTLED);
      expect(outboxed(id)).toBe(true);
    }
    expect(await historyCount()).toBe(3);
  });

  it('a bulk add that fails answers 503 per item and removes the records; the retried batch creates and sends them', async () => {
    const before = await historyCount();
    const held = lanes.holdNextEnqueue();
    const failing = batch('f-1', 'f-2');
    await held.entered;
    held.release('fail');
    const failed = await failing;
    expect(failed.status).toBe(207);
    for (const r of failed.body.results) expect(r.error).toMatchObject({ code: 'queue_unavailable' });
    expect(await historyCount()).toBe(before);
    // Their places in the tenant's lane went back with them (decision 0026), not left to the sweep.
    await waitFor(async () => (await m.api.deps.lanes.admittedCount('brace')) === 0, 'the removed emails’ lane slots to be given back');
    expect(await m.api.deps.lanes.backlogLength('brace')).toBe(0);

    const retried = await batch('f-1', 'f-2');
    const ids = retried.body.results.map((r: { id: string }) => r.id);
    expect(retried.body.results.every((r: { status: string; replayed?: boolean }) => r.status === 'queued' && !r.replayed)).toBe(true);
    for (const id of ids) await waitFor(async () => outboxed(id), `email ${id} in the outbox`);
    expect(await historyCount()).toBe(before + 2);
  });
});
