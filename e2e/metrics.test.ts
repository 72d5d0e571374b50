import {
  MailgunEmulator,
  mailgunEvents,
  parsePrometheusText,
  PromFamily,
  RunningSmtpSink,
  sampleValue,
  startMailgunEmulator,
} from '@mailroom/testkit';
import { MAILGUN_EMAIL_ID_VAR } from '@mailroom/transports';
import { API_KEY, Mailroom, OPS_TOKEN, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const MG_KEY = 'key-metrics-tenant-0000000000001';
const SMTP_TENANT = 'acme-metrics';
const MG_TENANT = 'globex-metrics';

/** /metrics on the three apps, scraped and parsed as Prometheus would, after real sends and webhook posts. */
describe('metrics and /metrics on every app', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let mailgun: MailgunEmulator;
  const emailIds: string[] = [];
  const addresses = new Set<string>();

  beforeAll(async () => {
    mailgun = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.globex.example'] });
    // No worker yet: the first test looks at the queue while jobs wait.
    m = await startMailroom({ MAILGUN_API_URL_EU: mailgun.url }, { worker: false });
    sink = await tenantOnSmtpSink(m, SMTP_TENANT);
    await m.call('PUT', `/v1/tenants/${MG_TENANT}`, { name: 'Globex', plan: 'free' });
    const saved = await m.call('PUT', `/v1/tenants/${MG_TENANT}/email-settings`, {
      mode: 'provider',
      senderName: 'Globex',
      replyTo: 'billing@globex.example',
      provider: { name: 'mailgun', fromAddress: 'billing@mg.globex.example', privateApiKey: MG_KEY, region: 'eu' },
    });
    expect(saved.body.webhook).toMatchObject({ registered: true });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
    await mailgun.close();
  });

  const urls = () => ({ api: m.api.url, webhooks: m.webhooks.url, ...(m.worker ? { worker: `http://127.0.0.1:${m.worker.port}` } : {}) });
  const scrape = async (app: 'api' | 'worker' | 'webhooks'): Promise<PromFamily[]> => {
    const res = await fetch(`${urls()[app]}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
    expect(res.status).toBe(200);
    return parsePrometheusText(await res.text());
  };
  /** Scrapes until `probe` holds, for counters updated right after the history write a test waits on. */
  const scrapeUntil = (app: 'api' | 'worker' | 'webhooks', probe: (f: PromFamily[]) => boolean, what: string) =>
    waitFor(async () => {
      const f = await scrape(app);
      return probe(f) ? f : undefined;
    }, what);
  const enqueue = async (tenant: string, to: string, headers: Record<string, string> = {}) => {
    addresses.add(to);
    const r = await m.call(
      'POST',
      `/v1/tenants/${tenant}/emails`,
      { to: [to], subject: 'Invoice', text: 'Invoice attached.' },
      { headers },
    );
    expect(r.status).toBe(202);
    emailIds.push(r.body.id);
    return r.body.id as string;
  };

  it('answers Prometheus text to the ops token, and 401 with a Bearer challenge without it or with a platform key', async () => {
    await m.startWorker();
    for (const url of Object.values(urls())) {
      const none = await fetch(`${url}/metrics`);
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toMatch(/^Bearer /);
      const platform = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${API_KEY}` } });
      expect(platform.status).toBe(401);
      expect(platform.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
      const ok = await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const families = parsePrometheusText(await ok.text());
      expect(families.find((f) => f.name === 'process_resident_memory_bytes')?.type).toBe('gauge');
    }
    // Every app publishes callback events; only the worker delivers them, so only it counts attempts.
    const callbackFamilies = async (app: 'api' | 'worker' | 'webhooks') =>
      (await scrape(app)).map((f) => f.name).filter((n) => n.startsWith('mailroom_callbacks_') && n !== 'mailroom_callbacks_enabled');
    expect(await callbackFamilies('api')).toEqual(['mailroom_callbacks_unpublished_total']);
    expect(await callbackFamilies('webhooks')).toEqual(['mailroom_callbacks_unpublished_total']);
    expect((await callbackFamilies('worker')).sort()).toEqual(['mailroom_callbacks_total', 'mailroom_callbacks_unpublished_total']);
    await m.worker!.stop();
    m.worker = undefined;
  });

  it('the API counts new enqueues (not replays) and shows the jobs waiting and the age of the oldest', async () => {
    await enqueue(SMTP_TENANT, 'first@customer.example', { 'Idempotency-Key': 'metrics-1' });
    const replay = await m.call(
      'POST',
      `/v1/tenants/${SMTP_TENANT}/emails`,
      { to: ['first@customer.example'], subject: 'Invoice', text: 'Invoice attached.' },
      { headers: { 'Idempotency-Key': 'metrics-1' } },
    );
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    await enqueue(SMTP_TENANT, 'second@customer.example');
    await enqueue(SMTP_TENANT, 'third@customer.example');
    // Every recipient on the suppression list: stored, answered, but no job, so not counted as queued.
    await m.call('POST', `/v1/tenants/${SMTP_TENANT}/suppressions`, { address: 'gone@customer.example' });
    const suppressed = await m.call('POST', `/v1/tenants/${SMTP_TENANT}/emails`, {
      to: ['gone@customer.example'],
      subject: 'Invoice',
      text: 'Invoice attached.',
    });
    expect([suppressed.status, suppressed.body.status]).toEqual([202, 'suppressed']);
    await new Promise((r) => setTimeout(r, 1100));

    const api = await scrape('api');
    expect(sampleValue(api, 'mailroom_emails_enqueued_total', { app: 'api', mode: 'smtp' })).toBe(3);
    expect(sampleValue(api, 'mailroom_emails_enqueued_total', { mode: 'provider' })).toBe(0);
    expect(sampleValue(api, 'mailroom_queue_jobs', { queue: 'send', state: 'waiting' })).toBe(3);
    expect(sampleValue(api, 'mailroom_queue_oldest_waiting_seconds', { queue: 'send' })).toBeGreaterThanOrEqual(1);
    expect(sampleValue(api, 'mailroom_queue_reachable', { queue: 'send' })).toBe(1);
  });

  it('the worker counts and times the sends once delivered, and the queue drains', async () => {
    await m.startWorker();
    for (const id of emailIds) expect((await waitForEmail(m, SMTP_TENANT, id, SETTLED)).status).toBe('accepted');
    // A replay answers the email as it is now (decision 0055): accepted, not the first answer's queued.
    const replay = await m.call(
      'POST',
      `/v1/tenants/${SMTP_TENANT}/emails`,
      { to: ['first@customer.example'], subject: 'Invoice', text: 'Invoice attached.' },
      { headers: { 'Idempotency-Key': 'metrics-1' } },
    );
    expect([replay.status, replay.body]).toEqual([202, { id: emailIds[0], status: 'accepted' }]);
    await sink.waitForMessages(3);
    const worker = await scrapeUntil(
      'worker',
      (f) => sampleValue(f, 'mailroom_send_attempts_total', { outcome: 'accepted' }) === 3,
      '3 accepted sends counted',
    );
    expect(
      sampleValue(worker, 'mailroom_send_attempts_total', { app: 'worker', mode: 'smtp', provider: 'none', outcome: 'accepted' }),
    ).toBe(3);
    expect(sampleValue(worker, 'mailroom_send_attempts_total', { outcome: 'failed' })).toBe(0);
    expect(sampleValue(worker, 'mailroom_send_duration_seconds_count', { mode: 'smtp', provider: 'none' })).toBe(3);
    expect(sampleValue(worker, 'mailroom_send_duration_seconds_sum', { mode: 'smtp' })).toBeGreaterThan(0);
    // They waited over a second for a worker: none was accepted within 1 s of its enqueue.
    expect(sampleValue(worker, 'mailroom_enqueue_to_accepted_seconds_count', { mode: 'smtp' })).toBe(3);
    expect(sampleValue(worker, 'mailroom_enqueue_to_accepted_seconds_bucket', { mode: 'smtp', le: '1' })).toBe(0);
    expect(sampleValue(worker, 'mailroom_transport_cache_size')).toBe(1);
    // The SQLite store's files on this machine, read on the scrape (these emails carry no attachment).
    expect(sampleValue(worker, 'mailroom_store_bytes', { file: 'database' })).toBeGreaterThan(0);
    expect(sampleValue(worker, 'mailroom_store_bytes', { file: 'wal' })).toBeGreaterThanOrEqual(0);
    expect(sampleValue(worker, 'mailroom_store_bytes', { file: 'content' })).toBe(0);

    const api = await scrapeUntil(
      'api',
      (f) => sampleValue(f, 'mailroom_queue_jobs', { queue: 'send', state: 'completed' }) === 3,
      'the queue drained',
    );
    expect(sampleValue(api, 'mailroom_queue_jobs', { queue: 'send', state: 'waiting' })).toBe(0);
    expect(sampleValue(api, 'mailroom_queue_oldest_waiting_seconds', { queue: 'send' })).toBe(0);
    expect(sampleValue(await scrape('worker'), 'mailroom_queue_jobs', { queue: 'send', state: 'completed' })).toBe(3);
  });

  it('a dropped connection counts as a retry and a refused sender as failed', async () => {
    sink.behaviour.dropDuringData = 1;
    const retried = await enqueue(SMTP_TENANT, 'fourth@customer.example');
    expect((await waitForEmail(m, SMTP_TENANT, retried, SETTLED)).status).toBe('accepted');
    sink.behaviour.rejectMailFrom = '550 5.7.1 Sender address is not allowed';
    const refused = await enqueue(SMTP_TENANT, 'fifth@customer.example');
    expect((await waitForEmail(m, SMTP_TENANT, refused, SETTLED)).status).toBe('failed');
    sink.behaviour.rejectMailFrom = undefined;

    const worker = await scrapeUntil(
      'worker',
      (f) => sampleValue(f, 'mailroom_send_attempts_total', { outcome: 'failed' }) === 1,
      'the failure counted',
    );
    expect(sampleValue(worker, 'mailroom_send_attempts_total', { mode: 'smtp', outcome: 'retry' })).toBe(1);
    expect(sampleValue(worker, 'mailroom_send_attempts_total', { mode: 'smtp', outcome: 'accepted' })).toBe(4);
    expect(sampleValue(worker, 'mailroom_send_attempts_total', { mode: 'smtp', provider: 'none', outcome: 'failed' })).toBe(1);
    // Every transport call is timed, the failed ones too.
    expect(sampleValue(worker, 'mailroom_send_duration_seconds_count', { mode: 'smtp' })).toBe(6);
  });

  it('webhook events: recorded, duplicate, for an unknown email, and refused requests', async () => {
    const id = await enqueue(MG_TENANT, 'client@globex-customer.example');
    expect((await waitForEmail(m, MG_TENANT, id, SETTLED)).status).toBe('accepted');
    const sent = mailgun.sent.find((s) => s.fields.some(([k, v]) => k === `v:${MAILGUN_EMAIL_ID_VAR}` && v === id))!;
    const [target] = mailgun.targetsOf(sent);
    const url = `${m.webhooks.url}/webhooks/mailgun/${MG_TENANT}`;

    const delivered = mailgunEvents.delivered(target);
    const first = await mailgun.postEvent(url, delivered);
    expect(first.status).toBe(200);
    expect((await mailgun.postEvent(url, delivered)).status).toBe(200); // same event, fresh signature: a duplicate
    const elsewhere = { ...target, userVariables: { ...target.userVariables, [MAILGUN_EMAIL_ID_VAR]: 'em_0000000000000000000000000000' } };
    expect((await mailgun.postEvent(url, mailgunEvents.delivered(elsewhere))).status).toBe(200);
    expect((await mailgun.postEvent(url, mailgunEvents.opened(target), { signingKey: 'not-the-key' })).status).toBe(401);
    expect((await mailgun.postEvent(url, delivered, { reuse: first.post.signature })).status).toBe(406);

    const hooks = await scrape('webhooks');
    const count = (result: string) => sampleValue(hooks, 'mailroom_webhook_events_total', { app: 'webhooks', provider: 'mailgun', result });
    expect({
      recorded: count('recorded'),
      duplicate: count('duplicate'),
      unknown_email: count('unknown_email'),
      refused: count('refused'),
    }).toEqual({
      recorded: 1,
      duplicate: 1,
      unknown_email: 1,
      refused: 2,
    });
    expect(sampleValue(hooks, 'mailroom_webhook_events_total', { provider: 'sendgrid' })).toBe(0);
    const worker = await scrapeUntil(
      'worker',
      (f) => sampleValue(f, 'mailroom_send_attempts_total', { provider: 'mailgun', outcome: 'accepted' }) === 1,
      'the Mailgun send counted',
    );
    expect(sampleValue(worker, 'mailroom_send_duration_seconds_count', { mode: 'provider', provider: 'mailgun' })).toBe(1);
    expect(sampleValue(await scrape('api'), 'mailroom_emails_enqueued_total', { mode: 'provider' })).toBe(1);
  });

  it('no label value on any app is a tenant id, an email id or an address', async () => {
    const forbidden = new Set([SMTP_TENANT, MG_TENANT, ...emailIds, ...addresses]);
    expect(emailIds.length).toBeGreaterThanOrEqual(6);
    for (const app of ['api', 'worker', 'webhooks'] as const) {
      const samples = (await scrape(app)).flatMap((f) => f.samples);
      expect(samples.length).toBeGreaterThan(50);
      const values = new Set(samples.flatMap((s) => Object.values(s.labels)));
      const leaked = [...values].filter(
        (v) => forbidden.has(v) || v.includes('@') || /^em_/.test(v) || [...forbidden].some((f) => v.includes(f)),
      );
      expect({ app, leaked }).toEqual({ app, leaked: [] });
      const names = new Set(samples.flatMap((s) => Object.keys(s.labels)));
      expect([...names].filter((n) => /tenant|email|address|recipient/i.test(n))).toEqual([]);
    }
  });
});
