import { randomBytes } from 'node:crypto';
import {
  CallbackReceiver,
  RedisClusterProcesses,
  redisClusterToolsInstalled,
  RunningSmtpSink,
  startCallbackReceiver,
  startRedisCluster,
} from '@mailroom/testkit';
import IORedis from 'ioredis';
import { INVOICE_PDF, Mailroom, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { tenantOnSmtpSink } from './support/worker-process';

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
  const prefix = `{mrtest-${randomBytes(4).toString('hex')}}`;
  beforeAll(async () => {
    cluster = await startRedisCluster(3);
    receiver = await startCallbackReceiver([SECRET]);
    m = await startMailroom({
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
    await receiver?.close();
    await cluster?.close();
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

    // Every key of this deployment, on whichever node: all in the slot of the prefix's hash tag.
    let total = 0;
    let inSlot = 0;
    for (const node of cluster.nodes) {
      const redis = new IORedis(node.port, node.host, { maxRetriesPerRequest: 1 });
      try {
        const slot = Number(await redis.call('CLUSTER', 'KEYSLOT', prefix));
        total += await redis.dbsize();
        inSlot += Number(await redis.call('CLUSTER', 'COUNTKEYSINSLOT', slot));
      } finally {
        redis.disconnect();
      }
    }
    expect(total).toBeGreaterThan(0);
    expect(inSlot).toBe(total);
    // And nothing went to the single Redis of REDIS_URL.
    const single = new IORedis(m.config.redisUrl, { maxRetriesPerRequest: 1 });
    try {
      expect(await single.keys(`${prefix}*`)).toEqual([]);
    } finally {
      single.disconnect();
    }
  }, 90_000);
});
