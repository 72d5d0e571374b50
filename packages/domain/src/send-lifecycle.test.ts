import { applyEvent, applySendFailure, applySendSuccess, markSending } from './history';
import { awaitsSend, giveUp, narrowToAwaiting, reopenFailed, sendDueAt } from './send-lifecycle';
import { at, platformEmail as email, T0 } from '../test/email-fixture';

const fail = { code: 'ESOCKET', retryable: true, response: 'connection refused' };

const failedForGood = () => applySendFailure(markSending(email(), at(1))!, { ...fail, retryable: false }, at(2), true);

describe('deferral and the next try', () => {
  it('a deferred email shows when the next try is due, on the record and each recipient; success clears it', () => {
    const deferred = applySendFailure(markSending(email(), at(1))!, fail, at(2), false, at(62));
    expect(deferred).toMatchObject({ status: 'deferred', nextAttemptAt: at(62) });
    expect(deferred.recipients.map((r) => r.nextAttemptAt)).toEqual([at(62), at(62)]);
    expect(sendDueAt(deferred)).toBe(at(62));

    const sent = applySendSuccess(
      markSending(deferred, at(63))!,
      {
        messageId: '<m>',
        recipients: [
          { email: 'a@x.example', accepted: true },
          { email: 'b@x.example', accepted: true },
        ],
      },
      at(64),
    );
    expect(sent.status).toBe('accepted');
    expect(sent).not.toHaveProperty('nextAttemptAt');
    expect(sent.recipients.some((r) => 'nextAttemptAt' in r)).toBe(false);
    expect(sendDueAt(sent)).toBeNull();
  });

  it('records a rate-limited attempt as such', () => {
    const deferred = applySendFailure(markSending(email(), at(1))!, { ...fail, rateLimited: true }, at(2), false, at(600));
    expect(deferred.attempts[0]).toMatchObject({ ok: false, rateLimited: true });
    const plain = applySendFailure(markSending(email(), at(1))!, fail, at(2), false, at(3));
    expect(plain.attempts[0]).not.toHaveProperty('rateLimited');
  });

  it('a final failure leaves no next try', () => {
    const failed = failedForGood();
    expect(failed.status).toBe('failed');
    expect(failed).not.toHaveProperty('nextAttemptAt');
    expect(sendDueAt(failed)).toBeNull();
  });
});

describe('what still waits for a send of ours', () => {
  it('queued, sending and our own deferral wait; a provider’s deferral after acceptance does not', () => {
    expect(awaitsSend(email())).toBe(true);
    expect(sendDueAt(email())).toBe(T0);
    expect(awaitsSend(markSending(email(), at(1))!)).toBe(true);
    const accepted = applySendSuccess(
      markSending(email(['a@x.example']), at(1))!,
      { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: true }] },
      at(2),
    );
    const providerDeferred = applyEvent(
      accepted,
      { type: 'deferred', at: at(3), recipient: 'a@x.example', key: 'sg:d1', source: 'sendgrid' },
      at(3),
    )!;
    expect(providerDeferred.status).toBe('deferred');
    expect(awaitsSend(providerDeferred)).toBe(false);
    expect(sendDueAt(providerDeferred)).toBeNull();
  });

  it('a deferral written before next tries were recorded still waits (never accepted)', () => {
    const legacy = { ...applySendFailure(markSending(email(), at(1))!, fail, at(2), false), nextAttemptAt: undefined };
    legacy.recipients = legacy.recipients.map(({ nextAttemptAt: _n, ...r }) => r);
    expect(awaitsSend(legacy)).toBe(true);
  });

  it('markSending commits a pending enqueue and records the transport actually used', () => {
    const pending = { ...email(), pendingEnqueue: { owner: 'req-1', since: T0 } };
    const sending = markSending(pending, at(1), { mode: 'platform', reason: 'plan_fallback' })!;
    expect(sending).not.toHaveProperty('pendingEnqueue');
    expect(sending.transport).toEqual({ mode: 'platform', reason: 'plan_fallback' });
  });
});

describe('retry: re-opening a failed email', () => {
  it('puts the failed recipients back to queued with a timeline entry, keeping the attempts', () => {
    const reopened = reopenFailed(failedForGood(), at(100), 'api')!;
    expect(reopened.status).toBe('queued');
    expect(reopened.recipients.map((r) => r.status)).toEqual(['queued', 'queued']);
    expect(reopened.recipients[0]).not.toHaveProperty('reason');
    expect(reopened.attempts).toHaveLength(1);
    expect(reopened.events.at(-1)).toMatchObject({ type: 'queued', key: 'retry:1', source: 'api', reason: 'retry' });
    expect(awaitsSend(reopened)).toBe(true);
    // A second retry gets its own timeline entry.
    const again = reopenFailed(applySendFailure(markSending(reopened, at(101))!, fail, at(102), true), at(103), 'worker')!;
    expect(again.events.filter((e) => e.key.startsWith('retry:')).map((e) => e.key)).toEqual(['retry:1', 'retry:2']);
  });

  it('leaves accepted recipients alone and sends only to the re-opened ones', () => {
    const partly = applySendSuccess(
      markSending(email(), at(1))!,
      {
        messageId: '<m>',
        recipients: [
          { email: 'a@x.example', accepted: true },
          { email: 'b@x.example', accepted: false, response: '452 mailbox full' },
        ],
      },
      at(2),
    );
    const reopened = reopenFailed(partly, at(3), 'api')!;
    expect(reopened.recipients.map((r) => r.status)).toEqual(['accepted', 'queued']);
    expect(narrowToAwaiting(reopened).to).toEqual([{ email: 'b@x.example' }]);
    expect(reopenFailed(email(), at(3), 'api')).toBeNull();
  });
});

describe('giving up', () => {
  it('fails every recipient still waiting, with the reason, and says so in the timeline', () => {
    const deferred = applySendFailure(markSending(email(), at(1))!, fail, at(2), false, at(9));
    const failed = giveUp(deferred, { code: 'EJOB', reason: 'the job failed: store unavailable' }, at(20))!;
    expect(failed.status).toBe('failed');
    expect(failed.recipients.map((r) => [r.status, r.reason])).toEqual([
      ['failed', 'the job failed: store unavailable'],
      ['failed', 'the job failed: store unavailable'],
    ]);
    expect(failed.events.at(-1)).toMatchObject({
      type: 'failed',
      key: 'worker:gave-up:1',
      reason: 'EJOB: the job failed: store unavailable',
    });
    expect(sendDueAt(failed)).toBeNull();
    expect(giveUp(failed, { code: 'EJOB', reason: 'again' }, at(21))).toBeNull();
  });
});
