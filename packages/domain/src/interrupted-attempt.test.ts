import { applySendSuccess, markSending } from './history';
import { INTERRUPTED_ATTEMPT_CODE, recordInterruptedAttempt } from './interrupted-attempt';
import { awaitsSend } from './send-lifecycle';
import { at, platformEmail as email } from '../test/email-fixture';

const sent = (emails: string[]) => ({ messageId: '<m@x>', recipients: emails.map((e) => ({ email: e, accepted: true })) });

describe('an attempt interrupted mid-send', () => {
  it('is recorded when the next attempt finds the email still sending: a failed attempt, tried again, and a timeline event', () => {
    const cut = recordInterruptedAttempt(markSending(email(), at(1))!, at(30))!;
    expect(cut.attempts).toEqual([
      expect.objectContaining({ at: at(30), ok: false, code: INTERRUPTED_ATTEMPT_CODE, retryable: true, hintKey: 'send.interrupted' }),
    ]);
    expect(cut.attempts[0].hint).toMatch(/may or may not have received the message/);
    expect(cut.events.at(-1)).toEqual({
      type: 'interrupted',
      at: at(30),
      key: 'worker:interrupted:1',
      source: 'worker',
      reason: 'the worker stopped mid-send: the server may or may not have received the message',
    });
    // The new attempt goes on: the recipients still wait, and nothing moved (no callback).
    expect(cut.status).toBe('sending');
    expect(cut.recipients.map((r) => r.status)).toEqual(['sending', 'sending']);
    expect(awaitsSend(cut)).toBe(true);
  });

  it('then the accepted attempt follows it in the history', () => {
    const cut = recordInterruptedAttempt(markSending(email(), at(1))!, at(30))!;
    const done = applySendSuccess(markSending(cut, at(30)) ?? cut, sent(['a@x.example', 'b@x.example']), at(31));
    expect(done.status).toBe('accepted');
    expect(done.attempts.map((a) => [a.ok, a.code])).toEqual([
      [false, 'interrupted'],
      [true, undefined],
    ]);
    expect(done.events.map((e) => e.type)).toEqual(['queued', 'interrupted', 'accepted', 'accepted']);
  });

  it('is nothing when no recipient is sending: a first attempt, or one after a recorded outcome', () => {
    expect(recordInterruptedAttempt(email(), at(1))).toBeNull();
    const done = applySendSuccess(markSending(email(), at(1))!, sent(['a@x.example', 'b@x.example']), at(2));
    expect(recordInterruptedAttempt(done, at(3))).toBeNull();
  });

  it('names the recipients it was for when it was for some only', () => {
    const rec = markSending(email(['a@x.example', 'b@x.example', 'c@x.example']), at(1))!;
    const partly = {
      ...rec,
      recipients: rec.recipients.map((r) => (r.email === 'a@x.example' ? { ...r, status: 'accepted' as const } : r)),
    };
    const cut = recordInterruptedAttempt(partly, at(30))!;
    expect(cut.events.at(-1)).toMatchObject({ type: 'interrupted', recipients: ['b@x.example', 'c@x.example'] });
    expect(cut.events.at(-1)!.recipient).toBeUndefined();
    const one = {
      ...partly,
      recipients: partly.recipients.map((r) => (r.email === 'b@x.example' ? { ...r, status: 'accepted' as const } : r)),
    };
    expect(recordInterruptedAttempt(one, at(30))!.events.at(-1)).toMatchObject({ recipient: 'c@x.example', recipients: ['c@x.example'] });
  });

  it('each interruption is its own attempt: a job interrupted twice shows two', () => {
    const once = recordInterruptedAttempt(markSending(email(), at(1))!, at(30))!;
    const twice = recordInterruptedAttempt(markSending(once, at(30))!, at(60))!;
    expect(twice.attempts.map((a) => a.code)).toEqual(['interrupted', 'interrupted']);
    expect(twice.events.filter((e) => e.type === 'interrupted').map((e) => e.key)).toEqual([
      'worker:interrupted:1',
      'worker:interrupted:2',
    ]);
  });
});
