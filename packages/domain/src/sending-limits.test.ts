import type { EmailRecord } from './email';
import { emailCallbackEvents } from './callback-events';
import { applySendSuccess, markSending } from './history';
import { awaitsSend, deferForSendingLimit, sendDueAt } from './send-lifecycle';
import { effectiveSendingLimits, limitsOverPreset, PresetLimits, sendingLimitsSchema, withinPreset } from './sending-limits';
import { at, queuedEmail, T0 } from '../test/email-fixture';

const GMAIL_LIKE: PresetLimits = {
  label: 'Mail',
  defaults: { perDay: 500 },
  maximum: { perDay: 2000 },
  sources: ['https://mail.example/limits'],
};
const REASON = "the tenant's sending limit (5 per minute) is reached";

const email = (): EmailRecord =>
  queuedEmail(undefined, {
    events: [{ type: 'queued', at: T0, key: 'api:queued', source: 'api' }],
    hasHtml: false,
    document: undefined,
    pendingEnqueue: { owner: 'api-1', since: T0 },
  });

describe('effective limits: the preset is the default and the ceiling', () => {
  it('takes the tenant figure where it set one, the preset default elsewhere, and says where each comes from', () => {
    expect(effectiveSendingLimits(undefined, GMAIL_LIKE)).toEqual({ limits: { perDay: 500 }, from: { perDay: 'preset' } });
    expect(effectiveSendingLimits({ perMinute: 5, perDay: 100 }, GMAIL_LIKE)).toEqual({
      limits: { perMinute: 5, perDay: 100 },
      from: { perMinute: 'tenant', perDay: 'tenant' },
    });
    expect(effectiveSendingLimits({ perHour: 40 }, undefined)).toEqual({ limits: { perHour: 40 }, from: { perHour: 'tenant' } });
    expect(effectiveSendingLimits(undefined, undefined)).toEqual({ limits: {}, from: {} });
  });

  it('names each figure above the preset maximum; lowering, and windows the preset does not cap, pass', () => {
    expect(limitsOverPreset({ perDay: 2001, perMinute: 10_000 }, GMAIL_LIKE)).toEqual([{ field: 'perDay', maximum: 2000 }]);
    expect(limitsOverPreset({ perDay: 2000 }, GMAIL_LIKE)).toEqual([]);
    expect(limitsOverPreset({ perDay: 10 }, GMAIL_LIKE)).toEqual([]);
    expect(limitsOverPreset({ perDay: 1_000_000 }, undefined)).toEqual([]);
  });

  it('the schema takes positive whole numbers and names the field it refuses', () => {
    expect(sendingLimitsSchema.parse({ perMinute: 5 })).toEqual({ perMinute: 5 });
    const messages = (v: unknown) => (sendingLimitsSchema.safeParse(v).error?.issues ?? []).map((i) => i.message);
    expect(messages({ perMinute: 0 })).toEqual(['limits.perMinute must be at least 1']);
    expect(messages({ perDay: 1.5 })).toEqual(['limits.perDay must be a whole number']);
    expect(messages({ perHour: '5' })).toEqual(['limits.perHour must be a number']);
    expect(messages({ perWeek: 5 })).toHaveLength(1);
  });
});

describe('deferForSendingLimit', () => {
  it('defers every waiting recipient until the next try, records no attempt, and commits a pending enqueue', () => {
    const deferred = deferForSendingLimit(email(), at(1), at(61), REASON)!;
    expect(deferred).toMatchObject({ status: 'deferred', nextAttemptAt: at(61), attempts: [] });
    expect(deferred).not.toHaveProperty('pendingEnqueue');
    expect(deferred.recipients.map((r) => [r.status, r.nextAttemptAt, r.reason])).toEqual([
      ['deferred', at(61), REASON],
      ['deferred', at(61), REASON],
    ]);
    expect(awaitsSend(deferred)).toBe(true);
    expect(sendDueAt(deferred)).toBe(at(61));
    // The platform hears email.deferred for each recipient, with our reason as the reply.
    const callbacks = emailCallbackEvents(email(), deferred);
    expect(callbacks.map((c) => [c.type, (c.data as { reply?: { response?: string } }).reply?.response])).toEqual([
      ['email.deferred', REASON],
      ['email.deferred', REASON],
    ]);
  });

  it('deferred again before the next attempt: the next try moves, the timeline keeps one event', () => {
    const once = deferForSendingLimit(email(), at(1), at(61), REASON)!;
    const twice = deferForSendingLimit(once, at(61), at(121), REASON)!;
    expect(twice.nextAttemptAt).toBe(at(121));
    expect(twice.recipients.every((r) => r.nextAttemptAt === at(121))).toBe(true);
    expect(twice.events.filter((e) => e.type === 'deferred')).toHaveLength(1);
    expect(emailCallbackEvents(once, twice)).toEqual([]);
  });

  it('then sent: accepted, the next try cleared; nothing waiting gives null', () => {
    const deferred = deferForSendingLimit(email(), at(1), at(61), REASON)!;
    const sent = applySendSuccess(
      markSending(deferred, at(61))!,
      {
        messageId: '<m@x>',
        recipients: [
          { email: 'a@x.example', accepted: true },
          { email: 'b@x.example', accepted: true },
        ],
      },
      at(62),
    );
    expect(sent.status).toBe('accepted');
    expect(sent).not.toHaveProperty('nextAttemptAt');
    expect(sent.recipients.every((r) => r.nextAttemptAt === undefined)).toBe(true);
    expect(deferForSendingLimit(sent, at(63), at(90), REASON)).toBeNull();
  });
});

describe('withinPreset (a mailbox connected with OAuth2 changes the preset)', () => {
  it("lowers each figure to the new preset's maximum, keeps what fits and what it does not cap", () => {
    expect(withinPreset({ perDay: 5000, perMinute: 10 }, GMAIL_LIKE)).toEqual({ perDay: 2000, perMinute: 10 });
    expect(withinPreset({ perDay: 100 }, GMAIL_LIKE)).toEqual({ perDay: 100 });
    expect(withinPreset({ perHour: 7 }, undefined)).toEqual({ perHour: 7 });
    expect(withinPreset(undefined, GMAIL_LIKE)).toBeUndefined();
    expect(withinPreset({}, GMAIL_LIKE)).toBeUndefined();
  });
});
