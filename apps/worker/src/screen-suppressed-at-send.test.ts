import pino from 'pino';
import { applyCancel, applySendFailure, EmailRecord, markSending } from '@mailroom/domain';
import { at, queuedEmail } from '@mailroom/domain/test/email-fixture';
import { SqliteStore } from '@mailroom/store';
import { screenSuppressedAtSend } from './screen-suppressed-at-send';
import type { WorkerDeps } from './worker-deps';

const queued = (id: string, to: string[]): EmailRecord => ({ ...queuedEmail(to), id, tenantId: 'screen', transport: { mode: 'platform' } });

describe('screenSuppressedAtSend: nobody left to send to', () => {
  const store = new SqliteStore({ filename: ':memory:' });
  const deps = { store, now: () => new Date(at(100)) } as unknown as WorkerDeps;
  const log = pino({ level: 'silent' });
  beforeAll(() => store.init());
  afterAll(() => store.close());

  async function stored(rec: EmailRecord): Promise<EmailRecord> {
    await store.emails.create({ email: rec, content: { text: 'x', attachments: [] } });
    return (await store.emails.get(rec.tenantId, rec.id))!;
  }

  it('every recipient suppressed since the enqueue: they are recorded suppressed, and no attempt stays marked in flight', async () => {
    const marked = await stored(markSending(queued('em_sup', ['gone@customer.example']), at(10))!);
    expect(marked.attemptInFlightSince).toBe(at(10));
    await store.suppressions.add({ tenantId: 'screen', address: 'gone@customer.example', reason: 'manual', createdAt: at(5) }, at(5));

    expect(await screenSuppressedAtSend(deps, marked, log)).toBeNull();
    const after = (await store.emails.get('screen', 'em_sup'))!;
    expect(after.recipients.map((r) => r.status)).toEqual(['suppressed']);
    expect(after).not.toHaveProperty('attemptInFlightSince');
  });

  it('a deferred email canceled after the worker marked its retry: nothing is sent, and the mark goes', async () => {
    const deferred = applySendFailure(
      markSending(queued('em_can', ['client@customer.example']), at(1))!,
      { code: 'ECONNECTION', retryable: true },
      at(2),
      false,
      at(60),
    );
    const retrying = markSending(deferred, at(61))!;
    const canceled = await stored(applyCancel(retrying, at(62))!);
    expect(canceled.attemptInFlightSince).toBe(at(61));

    expect(await screenSuppressedAtSend(deps, canceled, log)).toBeNull();
    const after = (await store.emails.get('screen', 'em_can'))!;
    expect(after.recipients.map((r) => r.status)).toEqual(['canceled']);
    expect(after).not.toHaveProperty('attemptInFlightSince');
  });
});
