import { applyEvent, applySendFailure, applySendSuccess, markSending } from './history';
import type { EmailRecord } from './email';
import { FINAL_STATUSES } from './status';

const T0 = Date.parse('2026-01-01T00:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function queued(mode: 'platform' | 'provider' = 'platform'): EmailRecord {
  return {
    id: 'em_1',
    tenantId: 't',
    status: 'queued',
    subject: 's',
    to: [{ email: 'a@x.example' }],
    cc: [],
    bcc: [],
    transport: { mode },
    recipients: [{ email: 'a@x.example', kind: 'to', status: 'queued', updatedAt: at(0) }],
    attempts: [],
    events: [],
    opens: { count: 0, machineCount: 0 },
    test: false,
    hasHtml: false,
    attachmentCount: 0,
    createdAt: at(0),
    updatedAt: at(0),
  };
}
const ok = { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: true }] };
const fail = { code: 'ESOCKET', retryable: true, response: 'refused' };

describe('the content retention clock (finalAt)', () => {
  it('is one constant: every status after which no send of ours is pending', () => {
    expect([...FINAL_STATUSES].sort()).toEqual([
      'accepted',
      'bounced',
      'canceled',
      'complained',
      'delivered',
      'dropped',
      'failed',
      'opened',
      'suppressed',
    ]);
  });

  it('starts when the transport accepts (SMTP and platform never report further), and later events do not restart it', () => {
    const sending = markSending(queued(), at(1))!;
    expect(sending.finalAt).toBeUndefined();
    const accepted = applySendSuccess(sending, ok, at(2));
    expect(accepted.finalAt).toBe(at(2));
    const opened = applyEvent(accepted, { type: 'opened', at: at(90), key: 'p:1', source: 'pixel', machine: false }, at(90))!;
    expect(opened.status).toBe('opened');
    expect(opened.finalAt).toBe(at(2));
  });

  it('does not start while our own retries are pending; starts when we give up', () => {
    const deferred = applySendFailure(markSending(queued(), at(1))!, fail, at(2), false);
    expect(deferred.status).toBe('deferred');
    expect(deferred.finalAt).toBeUndefined();
    const failed = applySendFailure(markSending(deferred, at(3)) ?? deferred, fail, at(4), true);
    expect(failed.status).toBe('failed');
    expect(failed.finalAt).toBe(at(4));
  });

  it('a provider deferring after acceptance keeps it running; a retry of ours (queued again) stops it', () => {
    const accepted = applySendSuccess(markSending(queued('provider'), at(1))!, ok, at(2));
    const providerDeferred = applyEvent(
      accepted,
      { type: 'deferred', at: at(5), key: 'sg:d', source: 'sendgrid', recipient: 'a@x.example' },
      at(5),
    )!;
    expect(providerDeferred.status).toBe('deferred');
    expect(providerDeferred.finalAt).toBe(at(2));

    const failed = applySendFailure(markSending(queued(), at(1))!, fail, at(2), true);
    const requeued = markSending(
      { ...failed, recipients: failed.recipients.map((r) => ({ ...r, status: 'queued' as const })), status: 'queued' },
      at(10),
    )!;
    expect(requeued.finalAt).toBeUndefined();
  });
});
