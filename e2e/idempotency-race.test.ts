import fs from 'node:fs';
import path from 'node:path';
import type { Cluster, Redis } from 'ioredis';
import { HeldLanes } from './support/held-lanes';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

/**
 * The idempotency undo race (decision 0014): while the first request with a key is still adding its
 * job, a replay answers 409 "in progress", never a 202 for a record that is then removed.
 */
describe('a replay while the first request with the key is still in progress', () => {
  let m: Mailroom;
  let lanes: HeldLanes;
  const body = (subject: string) => ({ to: ['client@customer.example'], subject, text: 'Attached.' });
  const post = (key: string, subject: string) =>
    m.call('POST', '/v1/tenants/race/emails', body(subject), { headers: { 'idempotency-key': key } });
  const outboxed = (id: string) => fs.existsSync(path.join(m.dataDir, 'outbox', `${id}.eml`));

  beforeAll(async () => {
    m = await startMailroom(
      { ENQUEUE_TIMEOUT_MS: '20000' },
      { apiLanes: (redis: Redis | Cluster, options) => (lanes = new HeldLanes(redis, options)) },
    );
    await m.call('PUT', '/v1/tenants/race', { name: 'Race Co', plan: 'free', email: 'r@race.example' });
  });
  afterAll(() => m.stop());

  it('answers 409 to the replay; the first fails and removes its record; the next request creates a new one', async () => {
    const held = lanes.holdNextEnqueue();
    const first = post('inv-1', 'Invoice 1');
    await held.entered;

    const replay = await post('inv-1', 'Invoice 1');
    expect(replay.status).toBe(409);
    expect(replay.body.error).toMatchObject({ code: 'idempotency_key_in_progress', details: { retryAfterSeconds: 1 } });
    const pendingId = /email (em_\w+)/.exec(replay.body.error.message)![1];
    // The history never shows the mark.
    expect((await m.call('GET', `/v1/tenants/race/emails/${pendingId}`)).body).not.toHaveProperty('pendingEnqueue');

    held.release('fail');
    expect((await first).status).toBe(503);
    expect((await m.call('GET', `/v1/tenants/race/emails/${pendingId}`)).status).toBe(404);
    // The removed email's slot in its tenant's lane went back with it (decision 0026), not left to the sweep.
    await waitFor(async () => (await m.api.deps.lanes.admittedCount('race')) === 0, "the removed email's lane slot to be given back");

    const again = await post('inv-1', 'Invoice 1');
    expect(again.status).toBe(202);
    expect(again.headers.get('idempotent-replayed')).toBeNull();
    expect(again.body.id).not.toBe(pendingId);
    await waitForEmail(m, 'race', again.body.id, SETTLED);
  });

  it('answers 409 to the replay while in progress, then 202 with the same email once the first succeeded', async () => {
    const held = lanes.holdNextEnqueue();
    const first = post('inv-2', 'Invoice 2');
    await held.entered;
    expect((await post('inv-2', 'Invoice 2')).status).toBe(409);
    held.release('add');
    const created = await first;
    expect(created.status).toBe(202);

    const replay = await post('inv-2', 'Invoice 2');
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(created.body.id);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await waitForEmail(m, 'race', created.body.id, SETTLED);
    expect(
      (await m.call('GET', '/v1/tenants/race/emails?limit=200')).body.items.filter((e: any) => e.subject === 'Invoice 2'),
    ).toHaveLength(1);
  });

  it('a request whose job was taken though its add failed answers 202, not 503: the email is sent, once', async () => {
    let id = '';
    const held = lanes.holdNextEnqueue(async () => {
      // The worker takes the job and sends the email before the request hears back from Redis.
      id = (await m.call('GET', '/v1/tenants/race/emails?limit=1')).body.items[0].id;
      await waitForEmail(m, 'race', id, SETTLED);
    });
    const first = post('inv-3', 'Invoice 3');
    await held.entered;
    held.release('add-then-fail');
    const answer = await first;
    expect(answer.status).toBe(202);
    expect(answer.body.id).toBe(id);
    expect(outboxed(id)).toBe(true);
    expect((await m.call('GET', `/v1/tenants/race/emails/${id}`)).body.attempts).toHaveLength(1);
  });

  it('a replay takes over an enqueue whose request went silent, and the email is sent', async () => {
    const held = lanes.holdNextEnqueue();
    const silent = post('inv-4', 'Invoice 4');
    await held.entered;
    // The owner never comes back (its process hung or died). Past the abandonment time, a replay takes over.
    const realNow = m.api.deps.now;
    m.api.deps.now = () => new Date(Date.now() + 60_000);
    try {
      const replay = await post('inv-4', 'Invoice 4');
      expect(replay.status).toBe(202);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      await waitForEmail(m, 'race', replay.body.id, SETTLED);
      await waitFor(async () => outboxed(replay.body.id), 'the email in the outbox');
      // The silent owner finally fails: it must not remove what the replay committed.
      held.release('fail');
      expect((await silent).status).toBe(202);
      expect((await m.call('GET', `/v1/tenants/race/emails/${replay.body.id}`)).status).toBe(200);
    } finally {
      m.api.deps.now = realNow;
    }
  });
});
