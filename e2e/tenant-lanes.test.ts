import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';

/**
 * Cancel and retry through the tenant lanes (decision 0026), black-box through the API with one slot
 * per tenant (TENANT_MAX_IN_FLIGHT=1), a real Redis, worker and SMTP relay. The lanes are looked at
 * only to show where an email waits: its job in the queue, or its place in the tenant's backlog.
 */
describe('cancel and retry through the tenant lanes', () => {
  let m: Mailroom;
  let relay: RunningSmtpSink;
  const post = async (subject: string) =>
    (await m.call('POST', '/v1/tenants/lane/emails', { to: ['ap@customer.example'], subject, text: 'Attached.' })).body.id as string;
  const jobState = async (id: string) => (await m.api.deps.queue.getJobState(id)) as string;
  const lanes = () => m.api.deps.lanes;
  const subjectsAtRelay = () => relay.messages.map((msg) => msg.parsed.subject);

  beforeAll(async () => {
    relay = await startSmtpSink({ tls: 'none' });
    m = await startMailroom(
      { PLATFORM_TRANSPORT: `smtp://127.0.0.1:${relay.port}`, TENANT_MAX_IN_FLIGHT: '1', SEND_ATTEMPTS: '1' },
      { worker: false },
    );
    await m.call('PUT', '/v1/tenants/lane', { name: 'Lane Co', plan: 'free', email: 'ap@lane.example' });
  });
  afterAll(async () => {
    await m.stop();
    await relay.close();
  });

  it('a canceled email that waited in the backlog never gets a job and sends nothing; one that held the slot gives it to the next', async () => {
    const first = await post('L-1');
    const second = await post('L-2');
    const third = await post('L-3');
    expect(await jobState(first)).toBe('waiting');
    expect([await jobState(second), await jobState(third)]).toEqual(['unknown', 'unknown']);
    expect(await lanes().backlogIds('lane')).toEqual([second, third]);
    expect((await m.call('GET', `/v1/tenants/lane/emails/${second}`)).body.status).toBe('queued');

    const canceledFromBacklog = await m.call('POST', `/v1/tenants/lane/emails/${second}/cancel`);
    expect([canceledFromBacklog.status, canceledFromBacklog.body.status]).toEqual([200, 'canceled']);
    expect(await lanes().backlogIds('lane')).toEqual([third]);

    const canceledFromQueue = await m.call('POST', `/v1/tenants/lane/emails/${first}/cancel`);
    expect([canceledFromQueue.status, canceledFromQueue.body.status]).toEqual([200, 'canceled']);
    expect(await jobState(first)).toBe('unknown');
    // Its slot went to the oldest email still waiting.
    expect(await jobState(third)).toBe('waiting');
    expect(await lanes().backlogIds('lane')).toEqual([]);

    await m.startWorker();
    await waitForEmail(m, 'lane', third, SETTLED);
    // A stray job would run within this moment: nothing but L-3 went out.
    await new Promise((r) => setTimeout(r, 300));
    expect(subjectsAtRelay()).toEqual(['L-3']);
    expect(await lanes().stats()).toEqual({ tenants: 0, admitted: 0, backlog: 0, tenantsWithBacklog: 0 });
    await m.worker!.stop();
    m.worker = undefined;
  });

  it('a retried email takes its turn in the lane behind the tenant s waiting emails, and its failure gave the slot back', async () => {
    relay.clear();
    relay.behaviour.rejectMailFrom = '550 5.7.1 Sender address is not allowed';
    const failing = await post('R-1');
    await m.startWorker();
    expect((await waitForEmail(m, 'lane', failing, SETTLED)).status).toBe('failed');
    // Failed for good: its slot is free again (released on the worker's failed event).
    await waitFor(async () => (await lanes().admittedCount('lane')) === 0, 'the failed email s slot to be released');
    await m.worker!.stop();
    m.worker = undefined;
    relay.behaviour.rejectMailFrom = undefined;

    const next = await post('R-2');
    expect(await jobState(next)).toBe('waiting');
    const retried = await m.call('POST', `/v1/tenants/lane/emails/${failing}/retry`);
    expect([retried.status, retried.body.status]).toEqual([202, 'queued']);
    // The one slot is R-2's: the retry waits in the backlog, its old failed job gone.
    expect(await jobState(failing)).toBe('unknown');
    expect(await lanes().backlogIds('lane')).toEqual([failing]);

    await m.startWorker();
    await waitForEmail(m, 'lane', failing, (e) => e.status === 'accepted');
    expect(subjectsAtRelay()).toEqual(['R-2', 'R-1']);
    await waitFor(async () => (await lanes().stats()).tenants === 0, 'the lane to empty');
  });
});
