import { MailgunEmulator, mailgunEvents, parsePrometheusText, RunningSmtpSink, sampleValue, startMailgunEmulator } from '@mailroom/testkit';
import { API_KEY, Mailroom, OPS_TOKEN, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { AppProcess, startAppProcess } from './support/worker-process';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const EMAILS = 300;
/** Every REPLAY_EVERY-th email's request is replayed, same Idempotency-Key, on the other API at the same moment. */
const REPLAY_EVERY = 10;
const IN_FLIGHT = 20;
const MG_KEY = 'key-scale-tenant-00000000000001';

/**
 * Scale-out: two API instances (this process and a child), two webhooks instances (the same), two
 * worker processes, one Redis and one SQLite file shared by all of them. A burst spread over both
 * APIs, with replays crossing between them, is delivered once per email to a real SMTP server, every
 * record is accepted, and both workers sent some of it. One signed webhook post reaching both
 * webhooks instances at once is recorded once.
 */
describe('several APIs, webhooks apps and workers side by side', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let mg: MailgunEmulator;
  let apiB: AppProcess;
  let webhooksB: AppProcess;
  let workers: AppProcess[] = [];
  beforeAll(async () => {
    mg = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.scale.example'] });
    m = await startMailroom({ MAILGUN_API_URL_EU: mg.url, WORKER_CONCURRENCY: '5' }, { worker: false });
    sink = await tenantOnSmtpSink(m, 'scale');
    await m.call('PUT', '/v1/tenants/scalemg', { name: 'scalemg', plan: 'free' });
    const saved = await m.call('PUT', '/v1/tenants/scalemg/email-settings', {
      mode: 'provider',
      senderName: 'Scale',
      provider: { name: 'mailgun', fromAddress: 'billing@mg.scale.example', privateApiKey: MG_KEY, region: 'eu' },
    });
    expect(saved.status).toBe(200);
    [apiB, webhooksB, ...workers] = await Promise.all([
      startAppProcess(m, 'api'),
      startAppProcess(m, 'webhooks'),
      startAppProcess(m, 'worker'),
      startAppProcess(m, 'worker'),
    ]);
  }, 120_000);
  afterAll(async () => {
    await Promise.all([apiB, webhooksB, ...workers].filter(Boolean).map((p) => p.stop()));
    await m?.stop();
    await sink?.close();
    await mg?.close();
  });

  const post = async (apiUrl: string, i: number) => {
    for (;;) {
      const res = await fetch(`${apiUrl}/v1/tenants/scale/emails`, {
        method: 'POST',
        headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json', 'idempotency-key': `scale-${i}` },
        body: JSON.stringify({ to: [`client${i}@customer.example`], subject: `Invoice S-${i}`, text: `Invoice ${i}` }),
      });
      const body = (await res.json()) as { id: string };
      // 409: the same key is being enqueued by the other API right now; a client tries again.
      if (res.status === 409) {
        await new Promise((r) => setTimeout(r, 20));
        continue;
      }
      expect(res.status).toBe(202);
      return { id: body.id, replayed: res.headers.get('idempotent-replayed') === 'true' };
    }
  };

  it('delivers a burst spread over both APIs once per email, with both workers sending', async () => {
    const apis = [m.api.url, apiB.url];
    const idOf = new Map<number, string>();
    let next = 0;
    const replayed: boolean[] = [];
    await Promise.all(
      Array.from({ length: IN_FLIGHT }, async () => {
        for (let i = next++; i < EMAILS; i = next++) {
          const here = apis[i % 2];
          const other = apis[(i + 1) % 2];
          const answers = await Promise.all(i % REPLAY_EVERY === 0 ? [post(here, i), post(other, i)] : [post(here, i)]);
          expect(new Set(answers.map((a) => a.id)).size).toBe(1);
          if (answers.length === 2) replayed.push(...answers.map((a) => a.replayed));
          idOf.set(i, answers[0].id);
        }
      }),
    );
    expect(new Set(idOf.values()).size).toBe(EMAILS);
    // Each replayed pair: one request created the email, the other was answered as a replay.
    expect(replayed.filter(Boolean)).toHaveLength(EMAILS / REPLAY_EVERY);

    await waitFor(async () => sink.messages.length >= EMAILS, `${EMAILS} messages at the SMTP server`, 120_000, 100);
    const history = await allEmails(m, 'scale');
    expect(history).toHaveLength(EMAILS);
    expect(history.filter((e) => e.status !== 'accepted')).toEqual([]);

    // Nothing more arrives late (a second delivery would come within a lock period at most).
    await new Promise((r) => setTimeout(r, 1000));
    const deliveries = new Map<string, number>();
    for (const msg of sink.messages) {
      const id = String(msg.parsed.headers.get('x-mailroom-email-id'));
      deliveries.set(id, (deliveries.get(id) ?? 0) + 1);
    }
    expect([...deliveries.entries()].filter(([, n]) => n !== 1)).toEqual([]);
    expect([...deliveries.keys()].sort()).toEqual([...idOf.values()].sort());

    const sentBy = await Promise.all(workers.map((w) => acceptedSends(w.url)));
    console.log(`scale-out: ${EMAILS} emails over 2 APIs, sends per worker: ${sentBy.join(' + ')}`);
    expect(sentBy.every((n) => n > 0)).toBe(true);
    expect(sentBy.reduce((a, b) => a + b, 0)).toBe(EMAILS);
  }, 240_000);

  it('records a webhook event posted to both webhooks instances at once, once', async () => {
    const sent = await m.call('POST', '/v1/tenants/scalemg/emails', { to: ['client@customer.example'], subject: 'Invoice MG', text: 'hi' });
    expect(sent.status).toBe(202);
    const email = await waitForEmail(m, 'scalemg', sent.body.id, SETTLED, 30_000);
    expect(email.status).toBe('accepted');
    const msg = mg.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === email.id))!;
    const [target] = mg.targetsOf(msg);
    const signed = mg.buildPost(mailgunEvents.delivered(target));
    const statuses = await Promise.all(
      [m.webhooks.url, webhooksB.url].map((base) =>
        fetch(`${base}/webhooks/mailgun/scalemg`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: signed.body,
        }).then((r) => r.status),
      ),
    );
    // The replay check lives in Redis, shared by both instances: one post is taken, the other refused as a replay.
    expect(statuses.sort()).toEqual([200, 406]);
    const delivered = await waitForEmail(m, 'scalemg', email.id, (e) => e.status === 'delivered');
    expect(delivered.events.filter((e: any) => e.type === 'delivered')).toHaveLength(1);
  }, 60_000);
});

async function allEmails(m: Mailroom, tenant: string): Promise<any[]> {
  const items: any[] = [];
  let cursor: string | undefined;
  do {
    const r = await m.call('GET', `/v1/tenants/${tenant}/emails?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(r.status).toBe(200);
    items.push(...r.body.items);
    cursor = r.body.nextCursor ?? undefined;
  } while (cursor);
  return items;
}

/** The sends a worker process counts as accepted, read from its own /metrics. */
async function acceptedSends(workerUrl: string): Promise<number> {
  const res = await fetch(`${workerUrl}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } });
  expect(res.status).toBe(200);
  return sampleValue(parsePrometheusText(await res.text()), 'mailroom_send_attempts_total', { outcome: 'accepted' });
}
