import pino from 'pino';
import { createStore, Store } from '@mailroom/store';
import { RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { startWorker } from '@mailroom/worker';
import { Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

/**
 * A send the relay accepted, whose outcome the store does not take at once (decision 0078). Before,
 * the store's error became a failed send: recorded `deferred`, retried, and the invoice went out twice.
 * Now the write is tried again; only when the store keeps refusing is the attempt left in flight, and
 * the next run says it was interrupted before it sends again (decision 0064).
 */
describe('a send the server accepted, when the store does not take its outcome at once', () => {
  let m: Mailroom;
  let relay: RunningSmtpSink;
  let store: Store;
  /** How many more writes that would record a send as accepted fail, as SQLite's lock makes them fail. */
  let failingSuccessWrites = 0;

  beforeAll(async () => {
    relay = await startSmtpSink({ tls: 'none' });
    m = await startMailroom({ PLATFORM_TRANSPORT: `smtp://127.0.0.1:${relay.port}`, RETRY_BASE_MS: '200' }, { worker: false });
    await m.call('PUT', '/v1/tenants/busy', { name: 'Busy', plan: 'free', email: 'b@busy.example' });
    // The worker's own store: the real SQLite file, but a write that records a send may fail first.
    const real = createStore(m.config.storeUrl);
    const emails = Object.create(real.emails) as Store['emails'];
    emails.update = async (tenantId, id, mutate) => {
      if (failingSuccessWrites > 0) {
        const current = await real.emails.get(tenantId, id);
        if (current && mutate(current)?.status === 'accepted') {
          failingSuccessWrites--;
          throw new Error('SQLITE_BUSY: database is locked');
        }
      }
      return real.emails.update(tenantId, id, mutate);
    };
    store = { ...real, emails, init: () => real.init(), close: () => real.close() } as Store;
    m.worker = await startWorker(m.config, { store, logger: pino({ level: 'silent' }) });
  });
  afterAll(async () => {
    await m.stop();
    await store.close();
    await relay.close();
  });

  const copiesOf = (emailId: string) => relay.messages.filter((msg) => msg.parsed.headers.get('x-mailroom-email-id') === emailId).length;

  it('records the send once the store takes it, and sends nothing twice', async () => {
    failingSuccessWrites = 2;
    const id = (await m.call('POST', '/v1/tenants/busy/emails', { to: ['client@customer.example'], subject: 'Invoice H-1', text: 't' }))
      .body.id;
    const email = await waitForEmail(m, 'busy', id, SETTLED, 15000);
    expect(email.status).toBe('accepted');
    expect(failingSuccessWrites).toBe(0);
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0].ok).toBe(true);
    expect(email.events.map((e: { type: string }) => e.type)).not.toContain('deferred');
    expect(copiesOf(id)).toBe(1);
  });

  it('when the store keeps refusing, the next run records the attempt interrupted before it sends again', async () => {
    failingSuccessWrites = 4;
    const id = (await m.call('POST', '/v1/tenants/busy/emails', { to: ['client@customer.example'], subject: 'Invoice H-2', text: 't' }))
      .body.id;
    const email = await waitForEmail(m, 'busy', id, SETTLED, 20000);
    expect(email.status).toBe('accepted');
    expect(email.attempts.map((a: { ok: boolean; code?: string }) => (a.ok ? 'ok' : a.code))).toEqual(['interrupted', 'ok']);
    expect(email.events.map((e: { type: string }) => e.type)).toContain('interrupted');
    // The relay has it twice, and the history says why: the first attempt's outcome was never recorded.
    expect(copiesOf(id)).toBe(2);
  }, 30000);
});
