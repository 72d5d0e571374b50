import { randomBytes } from 'node:crypto';
import {
  CallbackReceiver,
  MailgunEmulator,
  mailgunEvents,
  MailgunSentMessage,
  RedisClusterProcesses,
  redisClusterToolsInstalled,
  RunningSmtpSink,
  startMailgunEmulator,
  startRedisCluster,
} from '@mailroom/testkit';
import IORedis from 'ioredis';
import { INVOICE_PDF, Mailroom, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const MG_KEY = 'key-cluster-tenant-000000000001';
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;
const TOOLS = redisClusterToolsInstalled();
if (!TOOLS) console.warn('SKIPPED: the Redis Cluster test needs redis-server and redis-cli on PATH (apt-get install redis-server).');

/**
 * The API and the worker on a real Redis Cluster of three masters (REDIS_CLUSTER_NODES, QUEUE_PREFIX
 * hash-tagged): an invoice reaches a real SMTP server and is accepted, its status callback reaches the
 * platform, a test email passes the rate limit, and every key the apps wrote lives in the prefix's slot.
 */
(TOOLS ? describe : describe.skip)('Mailroom on a Redis Cluster', () => {
  let cluster: RedisClusterProcesses;
  let m: Mailroom;
  let sink: RunningSmtpSink;
  let receiver: CallbackReceiver;
  let mg: MailgunEmulator;
  const prefix = `{mrtest-${randomBytes(4).toString('hex')}}`;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    receiver = await startCallbackReceiver([SECRET]);
    mg = await startMailgunEmulator({ region: 'eu', keys: [MG_KEY], domains: ['mg.cluster.example'] });
    m = await startMailroom({
      MAILGUN_API_URL_EU: mg.url,
      REDIS_CLUSTER_NODES: cluster.seeds,
      QUEUE_PREFIX: prefix,
      CALLBACK_URL: receiver.url,
      CALLBACK_SECRETS: SECRET,
    });
    sink = await tenantOnSmtpSink(m, 'clustered');
  }, 90_000);
  afterAll(async () => {
    await m?.stop();
    await sink?.close();
    await mg?.close();
    await cluster?.close();
    await receiver?.close();
  });

  it('is ready on every app: /readyz pings the Cluster', async () => {
    for (const url of [m.api.url, m.webhooks.url, `http://127.0.0.1:${m.worker!.port}`]) {
      const r = await fetch(`${url}/readyz`);
      expect({ url, status: r.status, body: await r.json() }).toMatchObject({ url, status: 200, body: { ok: true } });
    }
  });

  it('sends an invoice, calls the platform back, and keeps every key in the prefix slot', async () => {
    const r = await m.call('POST', '/v1/tenants/clustered/emails', {
      to: ['client@customer.example'],
      subject: 'Invoice C-1',
      html: '<p>Your invoice</p>',
      attachments: [{ filename: 'C-1.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
    });
    expect(r.status).toBe(202);
    const email = await waitForEmail(m, 'clustered', r.body.id, (e) => e.status === 'accepted', 30_000);
    expect(email.recipients[0].status).toBe('accepted');
    const [msg] = await sink.waitForMessages(1);
    expect(msg.parsed.headers.get('x-mailroom-email-id')).toBe(r.body.id);
    expect(msg.parsed.attachments[0].content.equals(INVOICE_PDF)).toBe(true);
    await waitFor(async () => receiver.delivered().some((c) => c.payload.data.emailId === r.body.id), 'the status callback', 30_000);

    const test = await m.call('POST', '/v1/tenants/clustered/email-settings/test', {});
    expect(test.body).toMatchObject({ ok: true });

    const signed = mg.buildPost(mailgunEvents.delivered(mg.targetsOf(await mailgunSend(m, mg))[0]));
    const posted = await fetch(`${m.webhooks.url}/webhooks/mailgun/clustermg`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: signed.body,
    });
    expect(posted.status).toBe(200);

    // Every key of this deployment, on whichever node, in the slot of the prefix's hash tag (the server's word).
    const keys: string[] = [];
    const slots = new Set<number>();
    for (const node of cluster.nodes) {
      const redis = new IORedis(node.port, node.host, { maxRetriesPerRequest: 1 });
      try {
        for (const key of await redis.keys('*')) {
          keys.push(key);
          slots.add(Number(await redis.call('CLUSTER', 'KEYSLOT', key)));
        }
        slots.add(Number(await redis.call('CLUSTER', 'KEYSLOT', prefix)));
      } finally {
        redis.disconnect();
      }
    }
    for (const family of [':send:', ':callbacks:', ':test-email:', ':webhook-token:'])
      expect({ family, found: keys.some((k) => k.includes(family)) }).toEqual({ family, found: true });
    expect(keys.every((k) => k.startsWith(prefix))).toBe(true);
    expect(slots.size).toBe(1);
    // And nothing went to the single Redis of REDIS_URL.
    const single = new IORedis(m.config.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      expect(await single.keys(`${prefix}*`)).toEqual([]);
    } finally {
      single.disconnect();
    }
  }, 90_000);
});

/** One email through a Mailgun tenant, accepted: the message the emulator received. */
async function mailgunSend(m: Mailroom, mg: MailgunEmulator): Promise<MailgunSentMessage> {
  await m.call('PUT', '/v1/tenants/clustermg', { name: 'clustermg', plan: 'free' });
  const saved = await m.call('PUT', '/v1/tenants/clustermg/email-settings', {
    mode: 'provider',
    senderName: 'Cluster',
    provider: { name: 'mailgun', fromAddress: 'billing@mg.cluster.example', privateApiKey: MG_KEY, region: 'eu' },
  });
  expect(saved.status).toBe(200);
  const r = await m.call('POST', '/v1/tenants/clustermg/emails', { to: ['client@customer.example'], subject: 'Invoice MG', text: 'hi' });
  await waitForEmail(m, 'clustermg', r.body.id, (e) => e.status === 'accepted', 30_000);
  return mg.sent.find((s) => s.fields.some(([k, v]) => k === 'v:mailroom_email_id' && v === r.body.id))!;
}
