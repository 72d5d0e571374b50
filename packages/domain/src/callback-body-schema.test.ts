import { acceptedEmail, at, queuedEmail } from '../test/email-fixture';
import { CALLBACK_BODY_SCHEMAS, CALLBACK_EVENT_TYPES, callbackBodySchema, EMAIL_CALLBACK_STATUSES } from './callback-body-schema';
import { callbackPayload, CallbackEvent, emailCallbackEvents } from './callback-events';
import { hintAfterLastAttempt, hintOf, hintPromisingRetry } from './hint-not-retried';
import type { EmailRecord } from './email';
import { applyEvent, applySendFailure, IncomingEvent, markSending } from './history';
import type { EmailSettings } from './settings';
import { markPlanFallback, settingsCallbackEvents } from './settings-callback-events';
import { newSuppression } from './suppression';
import { applySuppressions } from './suppression-rules';

/** Parses a callback's body with its type's schema: what the OpenAPI document's webhook says of it. */
const fits = (e: CallbackEvent) => {
  const body = callbackPayload(e);
  expect(callbackBodySchema.parse(body)).toEqual(body);
  return CALLBACK_BODY_SCHEMAS[e.type].safeParse(body);
};

describe('the callback body schema', () => {
  it('has a schema for every callback type, and a status for every email.* type', () => {
    expect(Object.keys(CALLBACK_BODY_SCHEMAS)).toEqual([...CALLBACK_EVENT_TYPES]);
    expect(Object.keys(EMAIL_CALLBACK_STATUSES)).toEqual(CALLBACK_EVENT_TYPES.filter((t) => t.startsWith('email.')));
  });

  it("a deferral and the last attempt's failure: the reply carries the hint with its key, values and follow-up", () => {
    const sending = markSending(queuedEmail(['a@x.example']), at(1))!;
    const busy = hintPromisingRetry('smtp.tryLater', 'the server is busy', 'Mailroom tries again', { params: { host: 'mx.example' } });
    const { hintWithoutRetry: _fact, ...recorded } = busy;
    const fail = { code: 'ESOCKET', retryable: true, response: '421 try later', responseCode: 421, ...recorded };
    const deferred = applySendFailure(sending, fail, at(2), false);
    const [told] = emailCallbackEvents(sending, deferred);
    expect(told.data.reply).toEqual({
      code: 'ESOCKET',
      responseCode: 421,
      response: '421 try later',
      hint: busy.hint,
      hintKey: 'smtp.tryLater',
      hintParams: { host: 'mx.example' },
      hintThen: 'retry',
    });
    expect(fits(told).success).toBe(true);
    const last = hintAfterLastAttempt(busy, 4, '/v1/tenants/t/emails/em_1/retry');
    const failed = applySendFailure(deferred, { code: 'ESOCKET', retryable: true, response: '421 try later', ...last }, at(3), true);
    const [gaveUp] = emailCallbackEvents(deferred, failed);
    expect(gaveUp.type).toBe('email.failed');
    expect(gaveUp.data.reply).toMatchObject({ hintKey: 'smtp.tryLater', hintThen: 'lastAttempt', hintParams: { attempts: 4 } });
    expect(fits(gaveUp).success).toBe(true);
  });

  it('acceptance, a bounce, a drop, an email-level open, a suppression: each fits its type', () => {
    const three = ['a@x.example', 'b@x.example', 'c@x.example'];
    const accepted = acceptedEmail(three);
    const provider = (rec: EmailRecord, ev: Omit<IncomingEvent, 'at' | 'source'>, s: number) =>
      applyEvent(rec, { at: at(s), source: 'sendgrid', ...ev } as IncomingEvent, at(s))!;
    const bounced = provider(
      accepted,
      { type: 'bounced', key: 'b1', recipient: 'a@x.example', bounceType: 'hard', statusCode: '5.1.1', reason: 'unknown' },
      3,
    );
    const dropped = provider(bounced, { type: 'dropped', key: 'd1', recipient: 'b@x.example', reason: 'sandbox' }, 4);
    const opened = applyEvent(accepted, { type: 'opened', at: at(5), key: 'px:1', source: 'pixel' }, at(5))!;
    const queued = queuedEmail(three);
    const suppressed = applySuppressions(
      queued,
      [newSuppression({ tenantId: 't', address: 'c@x.example', reason: 'manual' }, at(0), 30)],
      at(1),
      'api',
    )!;
    const events = [
      ...emailCallbackEvents(markSending(queuedEmail(three), at(1))!, accepted),
      ...emailCallbackEvents(accepted, bounced),
      ...emailCallbackEvents(bounced, dropped),
      ...emailCallbackEvents(accepted, opened),
      ...emailCallbackEvents(queued, suppressed),
    ];
    expect(new Set(events.map((e) => e.type))).toEqual(
      new Set(['email.accepted', 'email.bounced', 'email.failed', 'email.opened', 'email.suppressed']),
    );
    for (const e of events) expect({ type: e.type, problem: fits(e).error?.message }).toEqual({ type: e.type, problem: undefined });
  });

  it('settings.failing: a failure carries its hint key; the plan fallback fits too', () => {
    const smtp: EmailSettings = { tenantId: 't', version: 1, mode: 'smtp', senderName: 'Acme', cc: [], bcc: [], updatedAt: at(0) };
    const login = hintOf('smtp.badLogin', 'check the password', { host: 'smtp.example' });
    const [failing] = settingsCallbackEvents(smtp, { ...smtp, lastFailure: { at: at(1), code: 'EAUTH', responseCode: 535, ...login } });
    expect(failing.data.reply).toEqual({
      code: 'EAUTH',
      responseCode: 535,
      hint: 'check the password',
      hintKey: 'smtp.badLogin',
      hintParams: { host: 'smtp.example' },
    });
    expect(fits(failing).success).toBe(true);
    const [fallback] = settingsCallbackEvents(smtp, markPlanFallback(smtp, 'basic', at(2))!);
    expect(fits(fallback).success).toBe(true);
  });

  it('refuses what a callback never is: a field it does not name, a status its type does not tell, no recipient', () => {
    const [accepted] = emailCallbackEvents(markSending(queuedEmail(['a@x.example']), at(1))!, acceptedEmail(['a@x.example']));
    const body = callbackPayload(accepted);
    const schema = CALLBACK_BODY_SCHEMAS['email.accepted'];
    expect(schema.safeParse(body).success).toBe(true);
    expect(schema.safeParse({ ...body, data: { ...body.data, subject: 'Invoice' } }).success).toBe(false);
    expect(schema.safeParse({ ...body, data: { ...body.data, status: 'failed' } }).success).toBe(false);
    const { recipient: _r, ...noRecipient } = body.data as Record<string, unknown>;
    expect(schema.safeParse({ ...body, data: noRecipient }).success).toBe(false);
    expect(
      CALLBACK_BODY_SCHEMAS['email.failed'].safeParse({ ...body, type: 'email.failed', data: { ...body.data, status: 'dropped' } }).success,
    ).toBe(true);
    expect(schema.safeParse({ ...body, key: 'accepted:a@x.example:1' }).success).toBe(false);
  });
});
