import { randomBytes } from 'node:crypto';
import { emailCallbackEvents, EmailRecord } from '@mailroom/domain';
import { CallbackReceiver, parsePrometheusText, PromFamily, RunningSmtpSink, sampleValue } from '@mailroom/testkit';
import { API_KEY, Mailroom, OPS_TOKEN, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';
import { tenantOnSmtpSink } from './support/smtp-tenant';

const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** The apps with CALLBACK_URL set: the worker delivers callbacks, the API shows and switches them at /ops/callbacks. */
describe('platform callbacks through the apps', () => {
  let m: Mailroom;
  let receiver: CallbackReceiver;
  let sink: RunningSmtpSink;
  let answer = 204;

  beforeAll(async () => {
    receiver = await startCallbackReceiver([SECRET], () => answer);
    m = await startMailroom({ CALLBACK_URL: receiver.url, CALLBACK_SECRETS: SECRET, CALLBACK_RETRY_SCALE: '0.001' });
    sink = await tenantOnSmtpSink(m, 'acme-cb');
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
    await receiver.close();
  });

  const ops = (method: string, body?: unknown) => m.call(method, '/ops/callbacks', body, { token: OPS_TOKEN });
  const scrape = async (url: string): Promise<PromFamily[]> =>
    parsePrometheusText(await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${OPS_TOKEN}` } })).text());

  /** A real email sent through the worker: its acceptance is published by the worker's store (decision 0033). */
  async function sendEmail(): Promise<EmailRecord> {
    const r = await m.call('POST', '/v1/tenants/acme-cb/emails', {
      to: ['client@example.com'],
      subject: 'Invoice F-1',
      text: 'attached',
      document: { type: 'invoice', id: 'inv_1', number: 'F-1' },
    });
    return waitForEmail(m, 'acme-cb', r.body.id, (e) => e.status === 'accepted');
  }

  it('delivers what the worker publishes, signed, with the document and no body; publishing it again sends nothing more', async () => {
    const sent = await sendEmail();
    const [got] = await waitFor(async () => receiver.delivered().length === 1 && receiver.delivered(), 'the callback');
    expect(got.verifiedBy).toEqual([true]);
    expect(got.payload).toMatchObject({
      type: 'email.accepted',
      data: {
        tenantId: 'acme-cb',
        emailId: sent.id,
        document: { type: 'invoice', id: 'inv_1', number: 'F-1' },
        recipient: 'client@example.com',
        status: 'accepted',
      },
    });
    expect(got.body).not.toMatch(/Invoice F-1|attached/);
    // The same transition computed again has the same webhook-id: the queue sends it once.
    const queued: EmailRecord = {
      ...sent,
      status: 'queued',
      attempts: [],
      recipients: sent.recipients.map((x) => ({ ...x, status: 'queued' })),
    };
    await m.worker!.deps.callbacks!.publish(emailCallbackEvents(queued, sent));
    const worker = await waitFor(async () => {
      const f = await scrape(`http://127.0.0.1:${m.worker!.port}`);
      return sampleValue(f, 'mailroom_callbacks_total', { type: 'email.accepted', outcome: 'delivered' }) === 1 && f;
    }, 'the delivered callback counted');
    expect(receiver.received).toHaveLength(1);
    expect(sampleValue(worker, 'mailroom_queue_reachable', { queue: 'callbacks' })).toBe(1);
    const api = await scrape(m.api.url);
    expect(sampleValue(api, 'mailroom_queue_reachable', { queue: 'callbacks' })).toBe(1);
    // The API publishes too (a cancel, recipients suppressed at enqueue), and the webhooks app: each counts what it could not queue.
    for (const families of [api, await scrape(m.webhooks.url)])
      expect(families.map((f) => f.name)).toContain('mailroom_callbacks_unpublished_total');
  });

  it('/ops/callbacks takes the ops token only and shows the state', async () => {
    expect((await m.call('GET', '/ops/callbacks')).status).toBe(403);
    expect((await m.call('GET', '/ops/callbacks', undefined, { token: API_KEY })).status).toBe(403);
    const r = await ops('GET');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({
      configured: true,
      url: receiver.url,
      enabled: true,
      whileDisabled: 'kept',
      pending: 0,
      paused: false,
      workers: 1,
    });
    expect(JSON.stringify(r.body)).not.toContain(SECRET.slice(6));
  });

  it('a 410 switches callbacks off and keeps what follows; POST { enabled: true } delivers them', async () => {
    const before = receiver.delivered().length;
    answer = 410;
    await sendEmail();
    const off = await waitFor(async () => {
      const r = await ops('GET');
      return r.body.enabled === false && r.body.paused === true && r.body;
    }, 'callbacks off');
    expect(off).toMatchObject({ paused: true, pending: 1, disabledReason: expect.stringContaining('410'), lastError: { status: 410 } });
    answer = 204;
    await sendEmail();
    await waitFor(async () => (await ops('GET')).body.pending === 2, 'the next email kept while off');

    expect((await ops('POST', { enabled: 'yes' })).body.error).toMatchObject({ code: 'invalid_request', details: [{ field: 'enabled' }] });
    expect((await ops('POST', {})).status).toBe(400);
    const on = await ops('POST', { enabled: true });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ enabled: true, paused: false });
    await waitFor(async () => receiver.delivered().length === before + 2, 'the kept callbacks');
    await waitFor(async () => (await ops('GET')).body.pending === 0, 'nothing pending');
  });

  it('the dashboard shows the callbacks queue beside the send queue', async () => {
    const basic = `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}`;
    const board = (await (await fetch(`${m.api.url}/ops/dashboard/api/queues`, { headers: { authorization: basic } })).json()) as {
      queues: { name: string }[];
    };
    expect(board.queues.map((q) => q.name)).toEqual(['send', 'callbacks']);
  });
});

describe('without CALLBACK_URL', () => {
  it('says so at start, publishes nothing, and /ops/callbacks says callbacks are not configured', async () => {
    const m = await startMailroom();
    try {
      expect(m.config.notices.filter((n) => /CALLBACK_URL is not set/.test(n))).toHaveLength(1);
      const started = Date.now();
      await m.worker!.deps.callbacks!.publish([
        { type: 'email.accepted', key: 'k', orderKey: 'email:x', timestamp: new Date().toISOString(), data: {} as never },
      ]);
      expect(Date.now() - started).toBeLessThan(50);
      const r = await m.call('GET', '/ops/callbacks', undefined, { token: OPS_TOKEN });
      expect(r.body).toMatchObject({ configured: false, enabled: true, pending: 0, workers: 0 });
    } finally {
      await m.stop();
    }
  });
});
