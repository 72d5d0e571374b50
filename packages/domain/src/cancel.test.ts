import { at, queuedEmail } from '../test/email-fixture';
import { cancelability, applyCancel } from './cancel';
import { emailCallbackEvents } from './callback-events';
import { applyEvent, applySendFailure, applySendSuccess, markSending } from './history';
import { newSuppression } from './suppression';
import { applySuppressions } from './suppression-rules';
import { awaitsSend, sendDueAt } from './send-lifecycle';

const retryable = { code: 'ESOCKET', retryable: true, responseCode: 421, response: '421 try later' };

describe('cancel', () => {
  it('a queued email ends canceled: every recipient, one timeline event, nothing awaits a send', () => {
    const q = queuedEmail();
    expect(cancelability(q)).toBe('cancelable');
    const canceled = applyCancel(q, at(5))!;
    expect(canceled.status).toBe('canceled');
    expect(canceled.recipients.map((r) => [r.status, r.updatedAt])).toEqual([
      ['canceled', at(5)],
      ['canceled', at(5)],
    ]);
    expect(canceled.events).toEqual([expect.objectContaining({ type: 'canceled', key: 'api:canceled', source: 'api', at: at(5) })]);
    expect(canceled.finalAt).toBe(at(5));
    expect(awaitsSend(canceled)).toBe(false);
    expect(sendDueAt(canceled)).toBeNull();
    expect(cancelability(canceled)).toBe('canceled');
    expect(applyCancel(canceled, at(6))).toBeNull();
    expect(emailCallbackEvents(q, canceled).map((e) => e.type)).toEqual(['email.canceled', 'email.canceled']);
  });

  it('a deferred email (our retry) is canceled and loses its next try', () => {
    const deferred = applySendFailure(markSending(queuedEmail(['a@x.example']), at(1))!, retryable, at(2), false, at(60));
    expect(cancelability(deferred)).toBe('cancelable');
    const canceled = applyCancel(deferred, at(3))!;
    expect(canceled.status).toBe('canceled');
    expect(canceled.nextAttemptAt).toBeUndefined();
    expect(canceled.recipients[0].nextAttemptAt).toBeUndefined();
  });

  it('a suppressed recipient stays suppressed; the other one is canceled', () => {
    const s = newSuppression({ tenantId: 't', address: 'b@x.example', reason: 'manual' }, at(0), 30);
    const partly = applySuppressions(queuedEmail(), [s], at(1), 'api')!;
    const canceled = applyCancel(partly, at(2))!;
    expect(canceled.recipients.map((r) => r.status)).toEqual(['canceled', 'suppressed']);
    expect(cancelability(canceled)).toBe('canceled');
  });

  it('not while a send is on the wire, nor once accepted, failed, suppressed, or deferred by the provider after accepting', () => {
    const sending = markSending(queuedEmail(), at(1))!;
    expect(cancelability(sending)).toBe('sending');
    expect(applyCancel(sending, at(2))).toBeNull();
    const accepted = applySendSuccess(
      sending,
      { messageId: '<m@x>', recipients: sending.recipients.map((r) => ({ email: r.email, accepted: true })) },
      at(2),
    );
    expect(cancelability(accepted)).toBe('settled');
    const failed = applySendFailure(sending, { ...retryable, retryable: false }, at(2), true);
    expect(cancelability(failed)).toBe('settled');
    const s = newSuppression({ tenantId: 't', address: 'a@x.example', reason: 'manual' }, at(0), 30);
    expect(cancelability(applySuppressions(queuedEmail(['a@x.example']), [s], at(1), 'api')!)).toBe('settled');
    const one = applySendSuccess(
      markSending(queuedEmail(['a@x.example']), at(1))!,
      { messageId: '<m@x>', recipients: [{ email: 'a@x.example', accepted: true }] },
      at(2),
    );
    const providerDeferred = applyEvent(
      one,
      { type: 'deferred', at: at(3), key: 'sg:d', source: 'sendgrid', recipient: 'a@x.example' },
      at(3),
    )!;
    expect(providerDeferred.status).toBe('deferred');
    expect(cancelability(providerDeferred)).toBe('settled');
  });

  it('a send that was already on the wire may still report its acceptance: the history then says accepted', () => {
    const canceled = applyCancel(queuedEmail(['a@x.example']), at(1))!;
    const late = applySendSuccess(canceled, { messageId: '<m@x>', recipients: [{ email: 'a@x.example', accepted: true }] }, at(2));
    expect(late.status).toBe('accepted');
  });
});
