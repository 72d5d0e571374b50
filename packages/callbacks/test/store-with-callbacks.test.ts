import { applySendSuccess, EmailRecord, EmailSettings, markSending } from '@mailroom/domain';
import { SqliteStore, Store } from '@mailroom/store';
import { noCallbacks, storeWithCallbacks } from '../src';
import { Bench, sleep, startBench, waitFor } from './callback-bench';

const NOW = '2026-03-02T10:00:00.000Z';

function queued(id: string): EmailRecord {
  return {
    id,
    tenantId: 'acme',
    status: 'queued',
    subject: 'Invoice F-1',
    document: { type: 'invoice', id: 'inv_1', number: 'F-1' },
    to: [{ email: 'client@example.com' }],
    cc: [],
    bcc: [],
    transport: { mode: 'smtp' },
    recipients: [{ email: 'client@example.com', kind: 'to', status: 'queued', updatedAt: NOW }],
    attempts: [],
    events: [],
    opens: { count: 0, machineCount: 0 },
    test: false,
    hasHtml: false,
    attachmentCount: 0,
    createdAt: NOW,
    updatedAt: NOW,
  };
}

/** The store the apps use once CALLBACK_URL is set: a real SQLite store, the real queue, a real receiver verifying each callback. */
describe('a store whose updates tell the platform', () => {
  let bench: Bench;
  let inner: Store;
  let store: Store;

  beforeEach(async () => {
    bench = await startBench();
    inner = new SqliteStore({ filename: ':memory:' });
    await inner.init();
    store = storeWithCallbacks(inner, bench.callbacks.publisher);
  });
  afterEach(async () => {
    await store.close();
    await bench.stop();
  });

  it('an email update publishes the callbacks of its transition; one that changes nothing publishes nothing', async () => {
    await store.emails.create({ email: queued('em_s1'), content: { text: 'x', attachments: [] } });
    await store.emails.update('acme', 'em_s1', (e) => markSending(e, NOW));
    await store.emails.update('acme', 'em_s1', (e) =>
      applySendSuccess(e, { messageId: '<m@x>', recipients: [{ email: 'client@example.com', accepted: true }] }, NOW),
    );
    await store.emails.update('acme', 'em_s1', () => null);
    const [got] = await waitFor(() => bench.receiver.delivered().length === 1 && bench.receiver.delivered(), 'the accepted callback');
    expect(got.verifiedBy).toEqual([true]);
    expect(got.payload).toMatchObject({
      type: 'email.accepted',
      data: { emailId: 'em_s1', recipient: 'client@example.com', status: 'accepted', document: { id: 'inv_1' } },
    });
    await sleep(200);
    expect(bench.receiver.received).toHaveLength(1);
  });

  it('a settings update that records a rejected login publishes settings.failing once per episode', async () => {
    const settings: Omit<EmailSettings, 'version'> = {
      tenantId: 'acme',
      mode: 'smtp',
      senderName: 'Acme',
      cc: [],
      bcc: [],
      updatedAt: NOW,
    };
    await store.settings.put(settings);
    const failure = { at: NOW, code: 'EAUTH', response: '535 5.7.8 not accepted', hint: 'check the password' };
    await store.settings.update('acme', (s) => ({ ...s, lastFailure: failure }));
    await store.settings.update('acme', (s) => ({ ...s, lastFailure: { ...failure, at: '2026-03-02T10:05:00.000Z' } }));
    const [got] = await waitFor(() => bench.receiver.delivered().length === 1 && bench.receiver.delivered(), 'settings.failing');
    expect(got.payload).toMatchObject({
      type: 'settings.failing',
      data: { tenantId: 'acme', reason: 'login_rejected', reply: { code: 'EAUTH' } },
    });
    await sleep(200);
    expect(bench.receiver.received).toHaveLength(1);
  });

  it('without CALLBACK_URL the store is the store itself', () => {
    expect(storeWithCallbacks(inner, noCallbacks)).toBe(inner);
  });
});
