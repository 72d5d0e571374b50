import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, OPS_TOKEN, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

const K = 2;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * GET /ops/tenant-backlogs, end to end: the real API, Redis, worker and a slow SMTP relay. Three
 * tenants build backlogs through the API (one after the other, so their oldest emails have different
 * ages) and a fourth sends within its slots; the on-call engineer's answer lists the three, largest
 * first, with their slots and ages, and follows them as the worker drains them.
 */
describe('GET /ops/tenant-backlogs: which tenants are backed up, by how much, since when', () => {
  let relay: RunningSmtpSink;
  let m: Mailroom;
  const ids: Record<string, string[]> = {};
  const backlogs = (query = '') => m.call('GET', `/ops/tenant-backlogs${query}`, undefined, { token: OPS_TOKEN });
  const post = async (tenant: string, n: number) => {
    for (let i = 0; i < n; i++) {
      const res = await m.call('POST', `/v1/tenants/${tenant}/emails`, {
        to: [`ap@${tenant}.example`],
        subject: `${tenant}-${i}`,
        text: 'Invoice.',
      });
      (ids[tenant] ??= []).push(res.body.id);
    }
  };

  beforeAll(async () => {
    relay = await startSmtpSink({ tls: 'none', dataReplyDelayMs: 150 });
    m = await startMailroom(
      {
        PLATFORM_TRANSPORT: `smtp://127.0.0.1:${relay.port}`,
        WORKER_CONCURRENCY: '8',
        PLATFORM_MAX_CONNECTIONS: '8',
        TENANT_MAX_IN_FLIGHT: String(K),
      },
      { worker: false },
    );
    for (const t of ['big', 'middle', 'small', 'calm'])
      await m.call('PUT', `/v1/tenants/${t}`, { name: t, plan: 'free', email: `ap@${t}.example` });
  }, 60_000);
  afterAll(async () => {
    await m?.stop();
    await relay?.close();
  });

  it('lists the backlogged tenants largest first, with their slots and the age of their oldest waiting email, and follows the drain', async () => {
    const started = Date.now();
    await post('small', K + 1);
    await sleep(300);
    await post('big', K + 7);
    await sleep(300);
    await post('middle', K + 3);
    await post('calm', K);
    const askedAt = Date.now();

    const all = await backlogs();
    expect(all.status).toBe(200);
    expect(all.body).toMatchObject({ queue: 'send', tenantsWithBacklog: 3, limit: 20 });
    const rows = all.body.tenants;
    expect(
      rows.map((t: { tenantId: string; backlog: number; admitted: number; delayed: number; maxInFlight: number }) => [
        t.tenantId,
        t.backlog,
        t.admitted,
        t.delayed,
        t.maxInFlight,
      ]),
    ).toEqual([
      ['big', 7, K, 0, K],
      ['middle', 3, K, 0, K],
      ['small', 1, K, 0, K],
    ]);
    // Ages: small's oldest waiting email went in first, big's 300 ms later, middle's last.
    const age = (tenant: string) => rows.find((t: { tenantId: string }) => t.tenantId === tenant).oldestWaitingMs as number;
    expect(age('small')).toBeGreaterThan(age('big'));
    expect(age('big')).toBeGreaterThan(age('middle'));
    expect(age('small') - age('middle')).toBeGreaterThanOrEqual(550);
    expect(age('small')).toBeLessThanOrEqual(Date.now() - started);
    expect(age('middle')).toBeGreaterThanOrEqual(0);
    const since = Date.parse(rows[2].oldestWaitingSince);
    expect(since).toBeGreaterThanOrEqual(started);
    expect(since).toBeLessThanOrEqual(askedAt);
    // Each names its oldest waiting email (the first past its K slots), which the history finds.
    expect(rows.map((t: { oldestWaitingEmailId: string }) => t.oldestWaitingEmailId)).toEqual([ids.big[K], ids.middle[K], ids.small[K]]);
    const oldest = await m.call('GET', `/v1/tenants/small/emails/${rows[2].oldestWaitingEmailId}`);
    expect([oldest.status, oldest.body.status, Date.parse(oldest.body.createdAt)]).toEqual([200, 'queued', since]);

    const firstTwo = await backlogs('?limit=2');
    expect([firstTwo.status, firstTwo.body.tenantsWithBacklog, firstTwo.body.tenants.map((t: { tenantId: string }) => t.tenantId)]).toEqual(
      [200, 3, ['big', 'middle']],
    );

    // The worker drains them through the slow relay: the smaller backlogs empty first, then none is left.
    await m.startWorker();
    await waitFor(async () => {
      const names = (await backlogs()).body.tenants.map((t: { tenantId: string }) => t.tenantId);
      return !names.includes('small') && names[0] === 'big';
    }, 'small s backlog to drain while big s still waits');
    await waitFor(async () => (await backlogs()).body.tenantsWithBacklog === 0, 'every backlog to drain');
    expect((await backlogs()).body.tenants).toEqual([]);
    for (const [tenant, sent] of Object.entries(ids))
      for (const id of sent) expect((await waitForEmail(m, tenant, id, SETTLED)).status).toBe('accepted');
  }, 60_000);

  it('takes a limit from 1 to 200 and says what to fix beyond', async () => {
    expect((await backlogs('?limit=200')).status).toBe(200);
    for (const [query, message] of [
      ['?limit=201', /limit is at most 200/],
      ['?limit=0', /limit must be at least 1/],
      ['?limit=two', /limit must be a number/],
      ['?limit=1.5', /limit must be a whole number/],
    ] as const) {
      const res = await backlogs(query);
      expect([query, res.status, res.body.error.code]).toEqual([query, 400, 'invalid_request']);
      expect(res.body.error.message).toMatch(message);
    }
  });

  it('takes the ops token only, as every /ops route: 401 without, 403 with a platform key, Basic works', async () => {
    const none = await fetch(`${m.api.url}/ops/tenant-backlogs`);
    expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, 'Basic realm="mailroom ops", charset="UTF-8"']);
    const platformKey = await m.call('GET', '/ops/tenant-backlogs');
    expect([platformKey.status, platformKey.body.error.code]).toEqual([403, 'forbidden']);
    const basic = await fetch(`${m.api.url}/ops/tenant-backlogs`, {
      headers: { authorization: `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}` },
    });
    expect(basic.status).toBe(200);
  });
});
