import {
  MailgunEmulator,
  mailgunEvents,
  RedisServerProcess,
  SendgridEmulator,
  sendgridEvents,
  startMailgunEmulator,
  startRedisServer,
  startSendgridEmulator,
} from '@mailroom/testkit';
import { PixelTokens } from '@mailroom/security';
import { Mailroom, OPS_TOKEN, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

const MG_KEY = 'key-outage-tenant-00000000000000001';
const SG_KEY = 'SG.outage-tenant.0123456789abcdef';
const ENQUEUE_TIMEOUT_MS = 3000;
const REDIS_REQUEST_TIMEOUT_MS = 1000;
/** What a provider allows before it gives up on a webhook post and retries later. */
const WEBHOOK_ANSWER_MS = 5000;
/** The dashboard as a browser reaches it: Basic, any user name, the ops token as the password. */
const DASHBOARD_BASIC = `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}`;
const BROWSER = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0 Safari/537.36';

/**
 * Redis taken away under the running apps (a redis-server of this test's own: killed, then frozen),
 * never the shared one: every request that needs it answers a quick, clear 5xx, those that do not
 * keep working, /readyz says which backend is missing, and everything recovers by itself.
 */
describe('Redis down: fast answers, nothing lost, recovery by itself', () => {
  let redis: RedisServerProcess;
  let eu: MailgunEmulator;
  let sg: SendgridEmulator;
  let m: Mailroom;
  const apps = () => ({ api: m.api.url, webhooks: m.webhooks.url, worker: `http://127.0.0.1:${m.worker!.port}` });
  const hook = () => `${m.webhooks.url}/webhooks/mailgun/mgout`;

  beforeAll(async () => {
    redis = await startRedisServer();
    eu = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.out.example'] });
    sg = await startSendgridEmulator({ apiKeys: [SG_KEY] });
    m = await startMailroom({
      REDIS_URL: redis.url,
      ENQUEUE_TIMEOUT_MS: String(ENQUEUE_TIMEOUT_MS),
      REDIS_REQUEST_TIMEOUT_MS: String(REDIS_REQUEST_TIMEOUT_MS),
      MAILGUN_API_URL_EU: eu.url,
      SENDGRID_API_URL: sg.url,
    });
    await m.call('PUT', '/v1/tenants/plat', { name: 'Plat', plan: 'free' });
    await m.call('PUT', '/v1/tenants/plat/email-settings', { mode: 'platform', senderName: 'Plat', replyTo: 'billing@plat.example' });
    await m.call('PUT', '/v1/tenants/mgout', { name: 'MG', plan: 'free' });
    await m.call('PUT', '/v1/tenants/mgout/email-settings', {
      mode: 'provider',
      senderName: 'MG',
      replyTo: 'billing@mg.out.example',
      provider: { name: 'mailgun', fromAddress: 'billing@mg.out.example', privateApiKey: MG_KEY, region: 'eu' },
    });
    await m.call('PUT', '/v1/tenants/sgout', { name: 'SG', plan: 'free' });
    await m.call('PUT', '/v1/tenants/sgout/email-settings', {
      mode: 'provider',
      senderName: 'SG',
      replyTo: 'billing@sg.out.example',
      provider: { name: 'sendgrid', fromAddress: 'billing@sg.out.example', privateApiKey: SG_KEY },
    });
  }, 60_000);

  afterAll(async () => {
    redis.resume();
    await redis.start();
    await m.stop();
    await redis.close();
    await eu.close();
    await sg.close();
  });

  /** A Mailgun email sent while Redis is up, and the target its events are about. */
  async function sentThroughMailgun(subject: string) {
    const id = (await m.call('POST', '/v1/tenants/mgout/emails', { to: ['client@customer.example'], subject, text: 't' })).body.id;
    expect((await waitForEmail(m, 'mgout', id, SETTLED)).status).toBe('accepted');
    const sent = eu.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === id))!;
    return { id, target: eu.targetsOf(sent)[0] };
  }

  async function timed<T>(work: Promise<T>): Promise<{ value: T; ms: number }> {
    const started = performance.now();
    const value = await work;
    return { value, ms: performance.now() - started };
  }

  const historyIds = async () => (await m.call('GET', '/v1/tenants/plat/emails')).body.items.map((e: { id: string }) => e.id);
  const enqueue = (subject: string) => m.call('POST', '/v1/tenants/plat/emails', { to: ['a@customer.example'], subject, text: 't' });

  async function expectEverythingAnswersFast(readyzRedis: RegExp) {
    const before = await historyIds();
    const queued = await timed(enqueue('during the outage'));
    expect(queued.value.status).toBe(503);
    expect(queued.value.body.error.code).toBe('queue_unavailable');
    expect(queued.ms).toBeLessThan(ENQUEUE_TIMEOUT_MS + 1000);
    expect(await historyIds()).toEqual(before); // nothing stored

    const test = await timed(m.call('POST', '/v1/tenants/plat/email-settings/test', {}));
    expect(test.value.status).toBe(503);
    expect(test.value.body.error).toMatchObject({ code: 'rate_limit_unavailable', message: expect.stringMatching(/Redis/) });
    expect(test.ms).toBeLessThan(REDIS_REQUEST_TIMEOUT_MS + 1000);
    expect(await historyIds()).toEqual(before);

    const ops = await timed(m.call('GET', '/ops/queues', undefined, { token: OPS_TOKEN }));
    expect(ops.value.status).toBe(503);
    // Names Redis, as the other 503s do, and what the on-call engineer checks.
    expect(ops.value.body.error).toEqual({
      code: 'queue_unavailable',
      message: expect.stringMatching(/^the send queue cannot be read right now: Redis (is not connected|did not answer within)/),
    });
    expect(ops.value.body.error.message).toMatch(/Check that the Redis server at REDIS_URL is running and reachable from the API/);
    expect(ops.ms).toBeLessThan(REDIS_REQUEST_TIMEOUT_MS + 1000);
    const backlogs = await timed(m.call('GET', '/ops/tenant-backlogs', undefined, { token: OPS_TOKEN }));
    expect(backlogs.value.status).toBe(503);
    expect(backlogs.value.body.error).toEqual({
      code: 'queue_unavailable',
      message: expect.stringMatching(
        /^the tenant lanes cannot be read right now: Redis .*Check that the Redis server at REDIS_URL is running/,
      ),
    });
    expect(backlogs.ms).toBeLessThan(REDIS_REQUEST_TIMEOUT_MS + 1000);
    const callbacks = await timed(m.call('GET', '/ops/callbacks', undefined, { token: OPS_TOKEN }));
    expect([callbacks.value.status, callbacks.value.body.error]).toEqual([
      503,
      {
        code: 'callbacks_unavailable',
        message: expect.stringMatching(
          /^the callbacks queue cannot be read right now: Redis .*Check that the Redis server at REDIS_URL is running/,
        ),
      },
    ]);
    // The dashboard's page is static and still loads, so the on-call engineer sees it and its error;
    // its JSON API (what the page polls) answers the project's 503 naming Redis, not bull-board's 500.
    const page = await fetch(`${m.api.url}/ops/dashboard/`, { headers: { authorization: DASHBOARD_BASIC } });
    expect([page.status, await page.text()]).toEqual([200, expect.stringMatching(/<html/i)]);
    const board = await timed(fetch(`${m.api.url}/ops/dashboard/api/queues`, { headers: { authorization: DASHBOARD_BASIC } }));
    expect(board.value.status).toBe(503);
    expect(((await board.value.json()) as { error: { code: string; message: string } }).error).toMatchObject({
      code: 'queue_unavailable',
      message: expect.stringMatching(/Redis .*Check that the Redis server at REDIS_URL is running/),
    });
    expect(board.ms).toBeLessThan(REDIS_REQUEST_TIMEOUT_MS + 1000);

    const readyMs: string[] = [];
    for (const [app, url] of Object.entries(apps())) {
      const live = await timed(fetch(`${url}/healthz`));
      expect([app, live.value.status]).toEqual([app, 200]);
      const ready = await timed(fetch(`${url}/readyz`));
      const body = await ready.value.json();
      const checks = { redis: expect.stringMatching(readyzRedis), store: 'ok' };
      if (app === 'webhooks') {
        // It records the pixel and SendGrid's and Mailjet's events without Redis: a load balancer
        // routing on /readyz keeps sending them (decision 0058); Redis is named as degraded.
        expect(ready.value.status).toBe(200);
        expect(body).toMatchObject({ ok: true, app, checks, degraded: ['redis'] });
      } else {
        expect([app, ready.value.status]).toEqual([app, 503]);
        expect(body).toMatchObject({ ok: false, app, checks });
        expect(body).not.toHaveProperty('degraded');
      }
      expect(ready.ms).toBeLessThan(1000 + 1000);
      readyMs.push(`${app} ${Math.round(ready.ms)}`);
    }
    process.stdout.write(
      `Redis down (${readyzRedis.source}): enqueue 503 in ${Math.round(queued.ms)} ms, test email 503 in ${Math.round(test.ms)} ms, ` +
        `/ops/queues 503 in ${Math.round(ops.ms)} ms, dashboard API 503 in ${Math.round(board.ms)} ms, /readyz in ms: ${readyMs.join(', ')}\n`,
    );
  }

  async function expectRecovered() {
    // Ready and nothing degraded: the webhooks app is ready without Redis (decision 0058), and only a
    // readiness that no longer names Redis says its own connection is back for Mailgun's replay check.
    const recovered = async (url: string) => {
      const res = await fetch(`${url}/readyz`);
      return res.status === 200 && !('degraded' in ((await res.json()) as object));
    };
    for (const url of Object.values(apps())) await waitFor(() => recovered(url), `${url}/readyz, nothing degraded`, 20_000, 200);
    const again = await enqueue('after the outage');
    expect(again.status).toBe(202);
    expect((await waitForEmail(m, 'plat', again.body.id, SETTLED, 20_000)).status).toBe('accepted');
    const board = await fetch(`${m.api.url}/ops/dashboard/api/queues`, { headers: { authorization: DASHBOARD_BASIC } });
    expect(board.status).toBe(200);
    expect(((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name)).toContain('send');
  }

  it('killed: 503s within their budgets, webhooks needing Redis answer 503 in time and are recorded on the retry', async () => {
    const { id, target } = await sentThroughMailgun('before the kill');
    const sgId = (await m.call('POST', '/v1/tenants/sgout/emails', { to: ['client@customer.example'], subject: 'sg', text: 't' })).body.id;
    expect((await waitForEmail(m, 'sgout', sgId, SETTLED)).status).toBe('accepted');
    await redis.stop();

    await expectEverythingAnswersFast(/not connected/);
    const delivered = await timed(eu.postEvent(hook(), mailgunEvents.delivered(target)));
    expect(delivered.value.status).toBe(503);
    expect(delivered.ms).toBeLessThan(WEBHOOK_ANSWER_MS);
    expect((await m.call('GET', `/v1/tenants/mgout/emails/${id}`)).body.status).toBe('accepted'); // not recorded

    // SendGrid's events need no Redis: recorded during the outage as usual.
    const sgTarget = sg.targetsOf(sg.sent.find((s) => s.body.custom_args?.mailroom_email_id === sgId)!)[0];
    const sgDelivered = await timed(sg.postEvents(`${m.webhooks.url}/webhooks/sendgrid/sgout`, [sendgridEvents.delivered(sgTarget)]));
    expect(sgDelivered.value.status).toBe(200);
    expect(sgDelivered.ms).toBeLessThan(WEBHOOK_ANSWER_MS);
    expect((await m.call('GET', `/v1/tenants/sgout/emails/${sgId}`)).body.status).toBe('delivered');
    // The open pixel needs no Redis either: a person's open is recorded during the outage.
    const pixel = `${m.webhooks.url}/t/o/${new PixelTokens(m.config.encryptionKeys).mint('sgout', sgId)}`;
    const clock = m.webhooks.deps.now;
    m.webhooks.deps.now = () => new Date(Date.now() + 10_000); // past the prefetch window
    const opened = await fetch(pixel, { headers: { 'user-agent': BROWSER, 'x-forwarded-for': '198.51.100.7' } });
    m.webhooks.deps.now = clock;
    expect([opened.status, opened.headers.get('content-type')]).toEqual([200, 'image/gif']);
    expect((await waitForEmail(m, 'sgout', sgId, (e) => e.status === 'opened')).opens.count).toBe(1);

    await redis.start(); // empty, as after a crash without persistence
    await expectRecovered();
    // Mailgun retries the very same post: it is not taken for a replay, and the event is recorded.
    expect((await eu.postEvent(hook(), mailgunEvents.delivered(target), { reuse: delivered.value.post.signature })).status).toBe(200);
    expect((await waitForEmail(m, 'mgout', id, (e) => e.status === 'delivered')).status).toBe('delivered');
  }, 90_000);

  it('frozen (connections open, no answers): the same, bounded by the timeouts', async () => {
    const { id, target } = await sentThroughMailgun('before the freeze');
    redis.pause();

    await expectEverythingAnswersFast(/timeout after 1000 ms/);
    const delivered = await timed(eu.postEvent(hook(), mailgunEvents.delivered(target)));
    expect(delivered.value.status).toBe(503);
    expect(delivered.ms).toBeLessThan(WEBHOOK_ANSWER_MS);

    redis.resume();
    await expectRecovered();
    // The claim that timed out ran late, when Redis woke up; the release sent after it undid it.
    expect((await eu.postEvent(hook(), mailgunEvents.delivered(target), { reuse: delivered.value.post.signature })).status).toBe(200);
    expect((await waitForEmail(m, 'mgout', id, (e) => e.status === 'delivered')).status).toBe('delivered');
  }, 90_000);
});
