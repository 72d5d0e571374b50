import pino from 'pino';
import { createStore, Store } from '@mailroom/store';
import { startWorker } from '@mailroom/worker';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

/** A record whose job never made it to Redis (the API died in between) is found and sent anyway. */
describe('emails whose job went missing', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({ STUCK_SWEEP_EVERY_MS: '200', STUCK_AFTER_MS: '300' });
    await m.call('PUT', '/v1/tenants/lost', { name: 'Lost', plan: 'free' });
    await m.call('PUT', '/v1/tenants/lost/email-settings', { mode: 'platform', senderName: 'Lost', replyTo: 'l@lost.example' });
  });
  afterAll(() => m.stop());

  it('are re-enqueued by the worker sweep and delivered once', async () => {
    const id = (await m.call('POST', '/v1/tenants/lost/emails', { to: ['a@b.example'], subject: 's', text: 't' })).body.id;
    await waitForEmail(m, 'lost', id, SETTLED);
    // Simulate the crash window: the record exists, the job does not.
    await m.worker!.stop();
    await m.api.deps.queue.pause();
    const orphan = (await m.call('POST', '/v1/tenants/lost/emails', { to: ['c@d.example'], subject: 'orphan', text: 't' })).body.id;
    await (await m.api.deps.queue.getJob(orphan))!.remove();
    await m.api.deps.queue.resume();
    await m.startWorker();
    const email = await waitForEmail(m, 'lost', orphan, SETTLED, 10000);
    expect(email.status).toBe('accepted');
    expect(email.attempts).toHaveLength(1);
  });
});

/**
 * An error before the send (the store failing in a job's first lines) is retried with the job's
 * attempts; when they run out the email ends `failed` with the reason, not `queued` for good.
 */
describe('a job whose first lines keep failing', () => {
  let m: Mailroom;
  let store: Store;
  const doomed = new Set<string>();
  beforeAll(async () => {
    m = await startMailroom({ SEND_ATTEMPTS: '3', RETRY_BASE_MS: '50' }, { worker: false });
    await m.call('PUT', '/v1/tenants/flaky', { name: 'Flaky', plan: 'free', email: 'f@flaky.example' });
    // The worker's own store: the real SQLite file, but reading one email always fails.
    const real = createStore(m.config.storeUrl);
    const emails = Object.create(real.emails) as Store['emails'];
    emails.get = async (tenantId, id) => {
      if (doomed.has(id)) throw new Error('SQLITE_BUSY: database is locked');
      return real.emails.get(tenantId, id);
    };
    store = {
      kind: real.kind,
      tenants: real.tenants,
      settings: real.settings,
      suppressions: real.suppressions,
      emails,
      init: () => real.init(),
      close: () => real.close(),
    };
  });
  afterAll(async () => {
    await m.stop();
    await store.close();
  });

  it('ends failed with the reason once the attempts run out', async () => {
    const id = (await m.call('POST', '/v1/tenants/flaky/emails', { to: ['a@b.example'], subject: 'Invoice', text: 't' })).body.id;
    doomed.add(id);
    m.worker = await startWorker(m.config, { store, logger: pino({ level: 'silent' }) });
    const failed = await waitForEmail(m, 'flaky', id, (e) => e.status === 'failed', 15000);
    expect(failed.recipients[0].reason).toMatch(/^the job failed 3 time\(s\) before a send could be recorded: SQLITE_BUSY/);
    expect(failed.events.at(-1)).toMatchObject({ type: 'failed', key: 'worker:gave-up:1' });
    expect(failed.attempts).toEqual([]);
    const job = await m.api.deps.queue.getJob(id);
    expect(await job!.getState()).toBe('failed');
    expect(job!.attemptsMade).toBe(3);
  });
});
