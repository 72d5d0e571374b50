import { randomBytes } from 'node:crypto';
import { createRedisConnection } from '@mailroom/queue';
import { CallbackReceiver, RunningSmtpSink } from '@mailroom/testkit';
import { RunningWorker, startWorker } from '@mailroom/worker';
import pino from 'pino';
import { Mailroom, OPS_TOKEN, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';
import { putSmtpTenant, startTenantSink } from './support/smtp-tenant';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const TENANT = 'lim-five';
const LOGIN = { user: 'billing@five.example', password: 'pw-five-per-minute' };

/**
 * A tenant limited to 5 per minute enqueues 8 invoices, served by two workers on the same Redis
 * (issue 8 sections 2 and 4): exactly 5 reach its SMTP server, the other 3 are `deferred` with the time
 * of the next try in the history and an `email.deferred` callback, none failed and no attempt used.
 */
describe('a tenant limited to 5 per minute, two workers', () => {
  let m: Mailroom;
  let second: RunningWorker;
  let sink: RunningSmtpSink;
  let receiver: CallbackReceiver;

  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET]);
    sink = await startTenantSink(LOGIN);
    // SEND_ATTEMPTS=1: a throttle that used an attempt would end the email failed. Two sends at a time
    // per worker, so both workers take part in the 8. Every invoice is admitted to the queue at once
    // (TENANT_MAX_IN_FLIGHT, the tenant lanes' K of decision 0026), so all 3 over the limit are seen
    // deferred; with a smaller K the ones beyond it wait `queued` in the tenant's backlog meanwhile.
    m = await startMailroom({
      SEND_ATTEMPTS: '1',
      WORKER_CONCURRENCY: '2',
      TENANT_MAX_IN_FLIGHT: '8',
      CALLBACK_URL: receiver.url,
      CALLBACK_SECRETS: SECRET,
      CALLBACK_RETRY_SCALE: '0.001',
    });
    second = await startWorker(m.config, { logger: pino({ level: 'silent' }), resolveHost: m.dns.resolve });
    const saved = await putSmtpTenant(m, TENANT, sink, LOGIN, { name: 'Five Co', settings: { limits: { perMinute: 5 } } });
    expect(saved.body.limits.perMinute).toEqual({ value: 5, from: 'tenant' });
  });
  afterAll(async () => {
    await second?.stop();
    await m.stop();
    await sink.close();
    await receiver.close();
  });

  it('sends 5, defers 3 until the window has room, fails none; the deferred go once it has', async () => {
    const enqueuedAt = Date.now();
    const ids: string[] = [];
    for (let i = 1; i <= 8; i++) {
      const r = await m.call('POST', `/v1/tenants/${TENANT}/emails`, {
        to: [`client${i}@customer.example`],
        subject: `Invoice ${i}`,
        text: 'Attached.',
        document: { type: 'invoice', id: `inv-${i}` },
      });
      expect(r.status).toBe(202);
      ids.push(r.body.id);
    }
    const emails = await Promise.all(ids.map((id) => waitForEmail(m, TENANT, id, (e) => SETTLED(e) || e.status === 'deferred', 20000)));
    // Give a wrong sixth send time to show up: there must be none.
    await new Promise((r) => setTimeout(r, 1500));
    expect(sink.messages).toHaveLength(5);

    const after = await Promise.all(ids.map((id) => m.call('GET', `/v1/tenants/${TENANT}/emails/${id}`).then((r) => r.body)));
    const accepted = after.filter((e) => e.status === 'accepted');
    const deferred = after.filter((e) => e.status === 'deferred');
    expect([accepted.length, deferred.length]).toEqual([5, 3]);
    expect(emails.filter((e) => e.status === 'failed')).toEqual([]);
    for (const e of deferred) {
      // The next try: when the first send of the window is a minute old (1 s buckets: up to a second later).
      const due = Date.parse(e.nextAttemptAt);
      expect(due).toBeGreaterThanOrEqual(enqueuedAt + 60_000);
      expect(due).toBeLessThan(Date.now() + 62_000);
      expect(e.recipients[0]).toMatchObject({
        status: 'deferred',
        nextAttemptAt: e.nextAttemptAt,
        reason: expect.stringMatching(/sending limit \(5 per minute\)/),
      });
      expect(e.attempts).toEqual([]);
      expect(e.events.filter((ev: any) => ev.type === 'deferred')).toHaveLength(1);
      const job = await m.api.deps.queue.getJob(e.id);
      expect(await job!.getState()).toBe('delayed');
      expect(job!.attemptsMade).toBe(0);
    }

    // The platform heard email.deferred for each held-back invoice, and the workers' metrics count them.
    await waitFor(
      async () => receiver.delivered().filter((c) => c.payload.type === 'email.deferred').length >= 3,
      'three email.deferred callbacks',
    );
    const deferredCallbacks = receiver.delivered().filter((c) => c.payload.type === 'email.deferred');
    expect(deferredCallbacks.map((c) => c.payload.data.emailId).sort()).toEqual(deferred.map((e) => e.id).sort());
    expect((deferredCallbacks[0].payload.data.reply as { response: string }).response).toMatch(/5 per minute/);
    const counted = async (port: number, outcome: string) => {
      const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } })).text();
      const lines = text.split('\n').filter((l) => l.startsWith('mailroom_send_attempts_total{') && l.includes(`outcome="${outcome}"`));
      return lines.reduce((n, l) => n + Number(l.split(' ').pop()), 0);
    };
    const [one, two] = [m.worker!.port, second.port];
    expect((await counted(one, 'deferred')) + (await counted(two, 'deferred'))).toBe(3);
    expect((await counted(one, 'accepted')) + (await counted(two, 'accepted'))).toBe(5);
    // Both workers took part: the count that held them to 5 is the one in Redis, not either's own.
    expect((await counted(one, 'accepted')) + (await counted(one, 'deferred'))).toBeGreaterThan(0);
    expect((await counted(two, 'accepted')) + (await counted(two, 'deferred'))).toBeGreaterThan(0);

    // Once the window has room (here: its count removed, the delayed jobs woken rather than waiting a
    // minute), the deferred invoices go with the same single attempt allowed.
    const redis = createRedisConnection(m.config.redisUrl);
    try {
      const keys = await redis.keys(`${m.config.queuePrefix}:tenant-limits:${TENANT}:*`);
      expect(keys.length).toBeGreaterThan(0);
      await redis.del(...keys);
    } finally {
      redis.disconnect();
    }
    for (const e of deferred) await (await m.api.deps.queue.getJob(e.id))!.promote();
    const sent = await Promise.all(deferred.map((e) => waitForEmail(m, TENANT, e.id, SETTLED, 20000)));
    expect(sent.map((e) => e.status)).toEqual(['accepted', 'accepted', 'accepted']);
    for (const e of sent) {
      expect(e.attempts.map((a: any) => a.ok)).toEqual([true]);
      expect(e).not.toHaveProperty('nextAttemptAt');
    }
    expect(sink.messages).toHaveLength(8);
  });

  it('counts every recipient, the default Bcc included: 4 per minute lets one invoice to 3 through, not a second to 2', async () => {
    const tenant = 'lim-recipients';
    await putSmtpTenant(m, tenant, sink, LOGIN, {
      name: 'Recipients Co',
      settings: { bcc: ['archive@recipients.example'], limits: { perMinute: 4 } },
    });
    const before = sink.messages.length;
    const send = async (to: string[]) => {
      const r = await m.call('POST', `/v1/tenants/${tenant}/emails`, { to, subject: 'Invoice', text: 'Attached.' });
      expect(r.status).toBe(202);
      return r.body.id as string;
    };
    const three = await send(['a@customer.example', 'b@customer.example']);
    expect((await waitForEmail(m, tenant, three, (e) => SETTLED(e) || e.status === 'deferred')).status).toBe('accepted');
    const two = await send(['c@customer.example']);
    const held = await waitForEmail(m, tenant, two, (e) => SETTLED(e) || e.status === 'deferred');
    expect(held.status).toBe('deferred');
    expect(held.recipients.map((r: any) => [r.email, r.status])).toEqual([
      ['c@customer.example', 'deferred'],
      ['archive@recipients.example', 'deferred'],
    ]);
    expect(sink.messages.length - before).toBe(1);
  });
});
