import { emailCallbackEvents } from './callback-events';
import { applySendFailure, applySendSuccess, markSending } from './history';
import { hasAttemptInFlight, recordInterruptedAttempt } from './interrupted-attempt';
import { awaitsSend, giveUp, reopenFailed } from './send-lifecycle';
import { at, platformEmail as email } from '../test/email-fixture';

const greylisted = { code: 'EENVELOPE', retryable: true, responseCode: 451, response: '451 4.7.1 try again later' };

const sent = (emails: string[], refusedForNow: string[] = []) => ({
  messageId: '<m@x>',
  recipients: [
    ...emails.map((e) => ({ email: e, accepted: true })),
    ...refusedForNow.map((e) => ({ email: e, accepted: false, responseCode: 451, response: '451 4.2.0 mailbox busy' })),
  ],
});

/** A first attempt refused for now (451): the email waits, `deferred`, for its retry at 60 s. */
const deferredEmail = () => applySendFailure(markSending(email(), at(1))!, greylisted, at(2), false, at(60));

describe('the attempt in flight', () => {
  it('is marked when an attempt starts, and only a recorded outcome clears it', () => {
    const sending = markSending(email(), at(1))!;
    expect(sending.attemptInFlightSince).toBe(at(1));
    expect(applySendSuccess(sending, sent(['a@x.example', 'b@x.example']), at(2))).not.toHaveProperty('attemptInFlightSince');
    expect(deferredEmail()).not.toHaveProperty('attemptInFlightSince');
    expect(applySendFailure(sending, greylisted, at(2), true)).not.toHaveProperty('attemptInFlightSince');
    expect(recordInterruptedAttempt(sending, at(30))).not.toHaveProperty('attemptInFlightSince');
  });

  it('is marked on the retry of a deferred email too, while its recipients stay deferred (no callback)', () => {
    const deferred = deferredEmail();
    const retrying = markSending(deferred, at(60))!;
    expect(retrying.attemptInFlightSince).toBe(at(60));
    expect(retrying.recipients.map((r) => r.status)).toEqual(['deferred', 'deferred']);
    expect(emailCallbackEvents(deferred, retrying)).toEqual([]);
  });
});

describe('a retry of a deferred email interrupted mid-send', () => {
  it('is recorded by the next attempt as interrupted, with no status change and no callback', () => {
    const retrying = markSending(deferredEmail(), at(60))!;
    const cut = recordInterruptedAttempt(retrying, at(90))!;
    expect(cut.attempts.map((a) => [a.ok, a.code, a.hintKey])).toEqual([
      [false, 'EENVELOPE', undefined],
      [false, 'interrupted', 'send.interrupted'],
    ]);
    expect(cut.events.at(-1)).toMatchObject({ type: 'interrupted', at: at(90), key: 'worker:interrupted:2', source: 'worker' });
    expect(cut.events.at(-1)).not.toHaveProperty('recipients');
    expect(cut.status).toBe('deferred');
    expect(cut.recipients.map((r) => r.status)).toEqual(['deferred', 'deferred']);
    expect(cut).not.toHaveProperty('attemptInFlightSince');
    expect(awaitsSend(cut)).toBe(true);
    expect(emailCallbackEvents(retrying, cut)).toEqual([]);
  });

  it('names the deferred recipients it was for when the others were accepted', () => {
    const partly = applySendSuccess(markSending(email(), at(1))!, sent(['a@x.example'], ['b@x.example']), at(2), at(60));
    const cut = recordInterruptedAttempt(markSending(partly, at(60))!, at(90))!;
    expect(cut.events.at(-1)).toMatchObject({ type: 'interrupted', recipient: 'b@x.example', recipients: ['b@x.example'] });
    expect(cut.recipients.map((r) => r.status)).toEqual(['accepted', 'deferred']);
  });

  it('is nothing for an ordinary retry: the deferral was recorded, nothing is in flight', () => {
    expect(hasAttemptInFlight(deferredEmail())).toBe(false);
    expect(recordInterruptedAttempt(deferredEmail(), at(60))).toBeNull();
  });

  it('the attempt after it marks itself again, so an interruption of it is found too', () => {
    const once = recordInterruptedAttempt(markSending(deferredEmail(), at(60))!, at(90))!;
    const twice = recordInterruptedAttempt(markSending(once, at(90))!, at(120))!;
    expect(twice.attempts.map((a) => a.code)).toEqual(['EENVELOPE', 'interrupted', 'interrupted']);
  });
});

describe('an interrupted attempt recorded once only', () => {
  it('a worker that dies after recording it, before its own send starts, leaves nothing to record again', () => {
    const cut = recordInterruptedAttempt(markSending(email(), at(1))!, at(30))!;
    expect(cut.recipients.map((r) => r.status)).toEqual(['sending', 'sending']);
    expect(recordInterruptedAttempt(cut, at(60))).toBeNull();
  });

  it('a record from before the mark existed says it by a recipient still sending', () => {
    const { attemptInFlightSince: _unmarked, ...before } = markSending(email(), at(1))!;
    expect(recordInterruptedAttempt(before, at(30))!.attempts.map((a) => a.code)).toEqual(['interrupted']);
  });
});

describe('giving up with an attempt in flight (a job stalled too often)', () => {
  const reason = { code: 'EJOB', reason: 'job stalled more than allowable limit' };

  it('a test email whose request ended mid-send says to check the inbox and send another test, not to beware of a duplicate', () => {
    const failed = giveUp(
      markSending({ ...email(['admin@tenant.example']), test: true }, at(1))!,
      { code: 'ETEST', reason: 'the test request ended before its outcome was recorded' },
      at(30),
    )!;
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toEqual([expect.objectContaining({ code: 'interrupted', hintKey: 'send.interruptedTestEmail' })]);
    expect(failed.attempts[0].hint).toMatch(/Nothing sends a test email again: check the inbox it went to, and send another test/);
    expect(failed.attempts[0].hint).not.toMatch(/twice|worker/);
  });

  it('records the interrupted attempt, saying it was not sent again, then fails the recipients', () => {
    const failed = giveUp(markSending(email(), at(1))!, reason, at(30))!;
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toEqual([
      expect.objectContaining({ at: at(30), ok: false, code: 'interrupted', hintKey: 'send.interruptedNotSentAgain' }),
    ]);
    expect(failed.attempts[0].hint).toMatch(/may or may not have received the message\. It was not sent again/);
    expect(failed.events.map((e) => [e.type, e.key])).toEqual([
      ['queued', 'api:queued'],
      ['interrupted', 'worker:interrupted:1'],
      ['failed', 'worker:gave-up:1'],
    ]);
    expect(failed).not.toHaveProperty('attemptInFlightSince');
  });

  it('records it for a deferred email whose retry was in flight', () => {
    const failed = giveUp(markSending(deferredEmail(), at(60))!, reason, at(90))!;
    expect(failed.attempts.map((a) => a.code)).toEqual(['EENVELOPE', 'interrupted']);
    expect(failed.recipients.map((r) => r.status)).toEqual(['failed', 'failed']);
  });

  it('the platform hears the same failed callbacks as without the attempt: the give-up reason, no new type', () => {
    const inFlight = markSending(deferredEmail(), at(60))!;
    const events = emailCallbackEvents(inFlight, giveUp(inFlight, reason, at(90))!);
    const { attemptInFlightSince: _unmarked, ...notInFlight } = inFlight;
    const without = emailCallbackEvents(notInFlight, giveUp(notInFlight, reason, at(90))!);
    expect(events.map((e) => [e.type, e.data])).toEqual(without.map((e) => [e.type, e.data]));
    expect(events.map((e) => e.type)).toEqual(['email.failed', 'email.failed']);
    expect(events[0].data).toMatchObject({ reply: { response: 'job stalled more than allowable limit' } });
  });

  it('records nothing more when nothing was in flight, and a retry after it starts clean', () => {
    const failed = giveUp(deferredEmail(), reason, at(90))!;
    expect(failed.attempts.map((a) => a.code)).toEqual(['EENVELOPE']);
    const reopened = reopenFailed(giveUp(markSending(email(), at(1))!, reason, at(30))!, at(40), 'api')!;
    expect(recordInterruptedAttempt(reopened, at(41))).toBeNull();
  });
});
