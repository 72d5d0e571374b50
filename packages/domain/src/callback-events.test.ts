import { acceptedEmail, at, queuedEmail } from '../test/email-fixture';
import type { EmailCallbackData } from './callback-body-schema';
import { callbackPayload, CallbackEvent, createdEmailCallbackEvents, emailCallbackEvents } from './callback-events';
import type { EmailRecord } from './email';
import type { EmailSettings } from './settings';
import { applyEvent, applySendFailure, applySendSuccess, IncomingEvent, markSending } from './history';
import {
  markPlanFallback,
  PLAN_FALLBACK_HINT,
  remembersFailureOnSettings,
  settingsCallbackEvents,
  settingsFailingReason,
} from './settings-callback-events';
import { newSuppression } from './suppression';
import { applySuppressions } from './suppression-rules';

const emailData = (e: CallbackEvent) => e.data as EmailCallbackData;
const brief = (events: CallbackEvent[]) => events.map((e) => [e.type, emailData(e).status, emailData(e).recipient]);
const event = (rec: EmailRecord, ev: Omit<IncomingEvent, 'at' | 'source'>, s: number) =>
  applyEvent(rec, { at: at(s), source: 'sendgrid', ...ev } as IncomingEvent, at(s));

describe('callback events of a history transition', () => {
  it('acceptance: one per recipient, with the document, statuses and a stable key', () => {
    const sending = markSending(queuedEmail(), at(1))!;
    const accepted = applySendSuccess(
      sending,
      {
        messageId: '<m@x>',
        recipients: [
          { email: 'a@x.example', accepted: true },
          { email: 'b@x.example', accepted: false, responseCode: 550, response: '550 5.1.1 unknown user' },
        ],
      },
      at(2),
    );
    const events = emailCallbackEvents(sending, accepted);
    expect(brief(events)).toEqual([
      ['email.accepted', 'accepted', 'a@x.example'],
      ['email.failed', 'failed', 'b@x.example'],
    ]);
    expect(events[0]).toEqual({
      type: 'email.accepted',
      key: 'accepted:a@x.example:1',
      orderKey: 'email:em_1',
      timestamp: at(2),
      data: {
        tenantId: 't',
        emailId: 'em_1',
        document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
        recipient: 'a@x.example',
        status: 'accepted',
        emailStatus: 'accepted',
        test: false,
      },
    });
    expect(emailData(events[1]).reply).toEqual({ responseCode: 550, response: '550 5.1.1 unknown user', statusCode: '5.1.1' });
    expect(emailCallbackEvents(sending, accepted)).toEqual(events);
  });

  it('queued and sending say nothing', () => {
    const q = queuedEmail();
    expect(emailCallbackEvents(q, markSending(q, at(1))!)).toEqual([]);
  });

  it('a deferral and the final failure carry the server reply and hint; the second deferral of the same attempt count does not repeat', () => {
    const sending = markSending(queuedEmail(['a@x.example']), at(1))!;
    const fail = { code: 'ESOCKET', retryable: true, response: '421 try later', responseCode: 421, hint: 'the server is busy' };
    const deferred = applySendFailure(sending, fail, at(2), false);
    const events = emailCallbackEvents(sending, deferred);
    expect(brief(events)).toEqual([['email.deferred', 'deferred', 'a@x.example']]);
    expect(events[0].data).toMatchObject({
      reply: { code: 'ESOCKET', responseCode: 421, response: '421 try later', hint: 'the server is busy' },
    });
    const again = applySendFailure(deferred, fail, at(3), false);
    expect(emailCallbackEvents(deferred, again)).toEqual([]);
    const failed = applySendFailure(again, { ...fail, code: 'EAUTH', retryable: false, response: '535 auth failed' }, at(4), true);
    const final = emailCallbackEvents(again, failed);
    expect(brief(final)).toEqual([['email.failed', 'failed', 'a@x.example']]);
    expect(final[0]).toMatchObject({
      key: 'failed:a@x.example:3',
      data: { emailStatus: 'failed', reply: { code: 'EAUTH', response: '535 auth failed' } },
    });
  });

  it('delivered, a bounce with its type and words, a complaint, each once', () => {
    const accepted = acceptedEmail();
    const delivered = event(accepted, { type: 'delivered', recipient: 'a@x.example', key: 'sg:d1' }, 3)!;
    expect(brief(emailCallbackEvents(accepted, delivered))).toEqual([['email.delivered', 'delivered', 'a@x.example']]);
    const bounced = event(
      delivered,
      { type: 'bounced', recipient: 'b@x.example', key: 'sg:b1', bounceType: 'hard', reason: 'User unknown', statusCode: '5.1.1' },
      4,
    )!;
    const [b] = emailCallbackEvents(delivered, bounced);
    expect(b).toMatchObject({
      type: 'email.bounced',
      data: { recipient: 'b@x.example', status: 'bounced', bounceType: 'hard', reply: { response: 'User unknown', statusCode: '5.1.1' } },
    });
    const complained = event(bounced, { type: 'complained', recipient: 'a@x.example', key: 'sg:c1' }, 5)!;
    expect(brief(emailCallbackEvents(bounced, complained))).toEqual([['email.complained', 'complained', 'a@x.example']]);
  });

  it("a provider's bounce carries its reply code and its enhanced code, each under its own name", () => {
    const accepted = acceptedEmail();
    const plain = event(
      accepted,
      { type: 'bounced', recipient: 'a@x.example', key: 'mg:b1', bounceType: 'hard', reason: 'mailbox unavailable', responseCode: 550 },
      3,
    )!;
    expect(emailData(emailCallbackEvents(accepted, plain)[0]).reply).toEqual({ responseCode: 550, response: 'mailbox unavailable' });
    const enhanced = event(
      accepted,
      {
        type: 'deferred',
        recipient: 'b@x.example',
        key: 'sg:d1',
        reason: '421 4.7.0 Try again later',
        responseCode: 421,
        statusCode: '4.7.0',
      },
      3,
    )!;
    expect(emailData(emailCallbackEvents(accepted, enhanced)[0]).reply).toEqual({
      responseCode: 421,
      response: '421 4.7.0 Try again later',
      statusCode: '4.7.0',
    });
  });

  it("a provider's event recorded before the worker's acceptance still tells accepted first; the worker's late write tells nothing", () => {
    const sending = markSending(queuedEmail(['a@x.example']), at(1))!;
    const delivered = event(sending, { type: 'delivered', recipient: 'a@x.example', key: 'mg:d1' }, 2)!;
    expect(delivered.recipients[0].status).toBe('delivered');
    const events = emailCallbackEvents(sending, delivered);
    expect(brief(events)).toEqual([
      ['email.accepted', 'accepted', 'a@x.example'],
      ['email.delivered', 'delivered', 'a@x.example'],
    ]);
    expect(events[0].key).toBe('accepted:a@x.example:0');
    const late = applySendSuccess(delivered, { messageId: '<m@x>', recipients: [{ email: 'a@x.example', accepted: true }] }, at(3));
    expect(emailCallbackEvents(delivered, late)).toEqual([]);
    // A provider's drop does not say it took the email.
    const dropped = event(sending, { type: 'dropped', recipient: 'a@x.example', key: 'mg:r1' }, 2)!;
    expect(brief(emailCallbackEvents(sending, dropped))).toEqual([['email.failed', 'dropped', 'a@x.example']]);
  });

  it('a duplicate provider event gives no callback (the store writes nothing, or the same record)', () => {
    const accepted = acceptedEmail();
    const delivered = event(accepted, { type: 'delivered', recipient: 'a@x.example', key: 'sg:d1' }, 3)!;
    expect(event(delivered, { type: 'delivered', recipient: 'a@x.example', key: 'sg:d1' }, 4)).toBeNull();
    expect(emailCallbackEvents(delivered, delivered)).toEqual([]);
    expect(emailCallbackEvents(delivered, structuredClone(delivered))).toEqual([]);
    const late = event(delivered, { type: 'accepted', recipient: 'a@x.example', key: 'sg:a0' }, 5)!;
    expect(emailCallbackEvents(delivered, late)).toEqual([]);
  });

  it('machine opens give none; the first person opening does, and later opens do not', () => {
    const accepted = acceptedEmail(['a@x.example']);
    const machine = event(accepted, { type: 'opened', recipient: 'a@x.example', key: 'o:1', machine: true }, 3)!;
    expect(machine.opens.machineCount).toBe(1);
    expect(emailCallbackEvents(accepted, machine)).toEqual([]);
    const person = event(machine, { type: 'opened', recipient: 'a@x.example', key: 'o:2' }, 4)!;
    const events = emailCallbackEvents(machine, person);
    expect(brief(events)).toEqual([['email.opened', 'opened', 'a@x.example']]);
    const again = event(person, { type: 'opened', recipient: 'a@x.example', key: 'o:3' }, 5)!;
    expect(again.opens.count).toBe(2);
    expect(emailCallbackEvents(person, again)).toEqual([]);
  });

  it('our pixel opened by a person on an email with several recipients: one email-level open', () => {
    const accepted = acceptedEmail();
    const opened = applyEvent(accepted, { type: 'opened', at: at(3), key: 'px:1', source: 'pixel' }, at(3))!;
    const events = emailCallbackEvents(accepted, opened);
    expect(events).toEqual([
      expect.objectContaining({
        type: 'email.opened',
        key: 'opened:email',
        timestamp: at(3),
        data: expect.objectContaining({ status: 'opened' }),
      }),
    ]);
    expect(events[0].data).not.toHaveProperty('recipient');
    const machine = applyEvent(accepted, { type: 'opened', at: at(3), key: 'px:2', source: 'pixel', machine: true }, at(3))!;
    expect(emailCallbackEvents(accepted, machine)).toEqual([]);
  });

  it('suppressed recipients, and the email that ends suppressed says so', () => {
    const q = queuedEmail();
    const s = (address: string) => newSuppression({ tenantId: 't', address, reason: 'complaint' }, at(0), 30);
    const one = applySuppressions(q, [s('b@x.example')], at(1), 'api')!;
    const first = emailCallbackEvents(q, one);
    expect(first).toEqual([
      expect.objectContaining({
        type: 'email.suppressed',
        data: expect.objectContaining({
          recipient: 'b@x.example',
          status: 'suppressed',
          emailStatus: 'queued',
          suppression: { reason: 'complaint', since: at(0) },
        }),
      }),
    ]);
    const both = applySuppressions(q, [s('a@x.example'), s('b@x.example')], at(1), 'api')!;
    const events = emailCallbackEvents(q, both);
    expect(events.map((e) => [e.type, emailData(e).status, emailData(e).emailStatus])).toEqual([
      ['email.suppressed', 'suppressed', 'suppressed'],
      ['email.suppressed', 'suppressed', 'suppressed'],
    ]);
  });

  it('a send of the other recipients tells nothing about one suppressed or canceled before it', () => {
    const q = queuedEmail(['a@x.example', 'old@example.com', 'gone@x.example']);
    const s = newSuppression({ tenantId: 't', address: 'old@example.com', reason: 'hard_bounce' }, at(0), 30);
    const screened = applySuppressions(q, [s], at(1), 'api')!;
    const sending = markSending(
      {
        ...screened,
        recipients: screened.recipients.map((r) => (r.email === 'gone@x.example' ? { ...r, status: 'canceled' as const } : r)),
      },
      at(1),
    )!;
    const sent = applySendSuccess(sending, { messageId: '<m@x>', recipients: [{ email: 'a@x.example', accepted: true }] }, at(2));
    expect(brief(emailCallbackEvents(sending, sent))).toEqual([['email.accepted', 'accepted', 'a@x.example']]);
  });

  it('a record stored with recipients already suppressed (at enqueue) tells so; a plain queued one says nothing', () => {
    const q = queuedEmail();
    expect(createdEmailCallbackEvents(q)).toEqual([]);
    const s = newSuppression({ tenantId: 't', address: 'b@x.example', reason: 'hard_bounce' }, at(0), 30);
    const screened = applySuppressions(q, [s], at(1), 'api')!;
    expect(createdEmailCallbackEvents(screened)).toEqual(emailCallbackEvents(q, screened));
    expect(brief(createdEmailCallbackEvents(screened))).toEqual([['email.suppressed', 'suppressed', 'b@x.example']]);
  });

  it('a provider drop reads as a failure with its status; canceled has its own type', () => {
    const accepted = acceptedEmail(['a@x.example']);
    const dropped = event(accepted, { type: 'dropped', recipient: 'a@x.example', key: 'sg:x', reason: 'Bounced Address' }, 3)!;
    expect(brief(emailCallbackEvents(accepted, dropped))).toEqual([['email.failed', 'dropped', 'a@x.example']]);
    const q = queuedEmail(['a@x.example']);
    const canceled: EmailRecord = { ...q, status: 'canceled', recipients: [{ ...q.recipients[0], status: 'canceled', updatedAt: at(1) }] };
    expect(brief(emailCallbackEvents(q, canceled))).toEqual([['email.canceled', 'canceled', 'a@x.example']]);
  });

  it('the payload is { type, timestamp, data } and nothing of the envelope, a body or a secret', () => {
    const sending = markSending(queuedEmail(['a@x.example']), at(1))!;
    const [e] = emailCallbackEvents(
      sending,
      applySendSuccess(sending, { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: true }] }, at(2)),
    );
    const payload = callbackPayload(e);
    expect(Object.keys(payload)).toEqual(['type', 'timestamp', 'data']);
    expect(JSON.stringify(payload)).not.toMatch(/subject|html|text|password|apiKey/i);
  });
});

describe('settings.failing', () => {
  const settings = (over: Partial<EmailSettings> = {}): EmailSettings => ({
    tenantId: 't',
    version: 3,
    mode: 'smtp',
    senderName: 'Acme',
    cc: [],
    bcc: [],
    updatedAt: at(0),
    ...over,
  });
  const failure = (code: string, s: number) => ({
    at: at(s),
    code,
    response: '535 5.7.8 Username and Password not accepted',
    hint: 'check the password',
  });

  it('a rejected login starts an episode once; the same failure again says nothing; a cleared one can start again', () => {
    const ok = settings();
    const failing = settings({ lastFailure: failure('EAUTH', 10) });
    const events = settingsCallbackEvents(ok, failing);
    expect(events).toEqual([
      {
        type: 'settings.failing',
        key: `login_rejected:${at(10)}`,
        orderKey: 'settings:t',
        timestamp: at(10),
        data: {
          tenantId: 't',
          reason: 'login_rejected',
          mode: 'smtp',
          reply: { code: 'EAUTH', response: failure('EAUTH', 10).response, hint: 'check the password' },
        },
      },
    ]);
    expect(settingsCallbackEvents(failing, settings({ lastFailure: failure('EAUTH', 20) }))).toEqual([]);
    expect(settingsCallbackEvents(failing, ok)).toEqual([]);
    expect(settingsCallbackEvents(ok, settings({ lastFailure: failure('EAUTH', 30) }))[0].key).toBe(`login_rejected:${at(30)}`);
  });

  it('a provider key that stopped working names the provider; other permanent failures are not the settings', () => {
    const provider = settings({ mode: 'provider', provider: { name: 'mailgun', fromAddress: 'a@b.co', region: 'eu' } });
    const [e] = settingsCallbackEvents(provider, { ...provider, lastFailure: failure('http_401', 5) });
    expect(e.data).toMatchObject({ reason: 'provider_key_rejected', mode: 'provider', provider: 'mailgun' });
    expect(settingsCallbackEvents(provider, { ...provider, lastFailure: failure('ECONTENT', 5) })).toEqual([]);
    expect(settingsCallbackEvents(settings(), settings({ lastFailure: failure('http_401', 5) }))).toEqual([]);
  });

  it('a provider that has not verified the From address is the sender, not the key; another 403, or a key without the permission to send, is the account', () => {
    const provider = settings({ mode: 'provider', provider: { name: 'mailjet', fromAddress: 'a@b.co' } });
    const reasonOf = (code: string) => settingsCallbackEvents(provider, { ...provider, lastFailure: failure(code, 5) })[0]?.data;
    expect(reasonOf('sender_not_verified')).toMatchObject({ reason: 'provider_sender_rejected', provider: 'mailjet' });
    expect(reasonOf('http_403')).toMatchObject({ reason: 'provider_access_denied', provider: 'mailjet' });
    // The provider confirmed the key lacks the permission to send (SendGrid's scopes after a 403): the same refusal, known.
    expect(reasonOf('missing_scope')).toMatchObject({ reason: 'provider_access_denied', provider: 'mailjet' });
    expect(settingsFailingReason('missing_scope', 'smtp')).toBeNull();
    expect(reasonOf('http_401')).toMatchObject({ reason: 'provider_key_rejected' });
    expect(settingsFailingReason('sender_not_verified', 'smtp')).toBeNull();
    expect(settingsFailingReason('http_403', 'smtp')).toBeNull();
  });

  it('a 403 that may be a block is remembered on the settings while it is retried; other temporary failures are not', () => {
    expect(remembersFailureOnSettings({ code: 'http_403', retryable: true }, 'provider')).toBe(true);
    expect(remembersFailureOnSettings({ code: 'http_403', retryable: true }, 'smtp')).toBe(false);
    // A 454 at AUTH is the server's trouble for now, not a rejected login.
    expect(remembersFailureOnSettings({ code: 'EAUTH', retryable: true }, 'smtp')).toBe(false);
    expect(remembersFailureOnSettings({ code: 'http_429', retryable: true }, 'provider')).toBe(false);
    expect(remembersFailureOnSettings({ code: 'http_401', retryable: true }, 'provider')).toBe(false);
    // Every permanent failure is remembered (the settings' warning), whether or not it is told.
    expect(remembersFailureOnSettings({ code: 'ECONTENT', retryable: false }, 'provider')).toBe(true);
    expect(remembersFailureOnSettings({ code: 'EAUTH', retryable: false }, 'smtp')).toBe(true);
  });

  it('the retried 403 is told at the first refusal, not again at the next ones or the last, and again after a success', () => {
    const provider = settings({ mode: 'provider', provider: { name: 'sendgrid', fromAddress: 'a@b.co' } });
    const first = { ...provider, lastFailure: failure('http_403', 5) };
    expect(settingsCallbackEvents(provider, first)).toMatchObject([{ key: `provider_access_denied:${at(5)}` }]);
    const again = { ...provider, lastFailure: failure('http_403', 6) };
    expect(settingsCallbackEvents(first, again)).toEqual([]);
    const { lastFailure: _cleared, ...succeeded } = again;
    expect(settingsCallbackEvents(again, succeeded)).toEqual([]);
    expect(settingsCallbackEvents(succeeded, { ...provider, lastFailure: failure('http_403', 9) })).toHaveLength(1);
  });

  it('a mailbox whose OAuth grant was revoked must be reconnected: that is the settings too', () => {
    const [e] = settingsCallbackEvents(settings(), settings({ lastFailure: failure('oauth_reconnect_required', 7) }));
    expect(e).toMatchObject({ key: `oauth_reconnect_required:${at(7)}`, data: { reason: 'oauth_reconnect_required', mode: 'smtp' } });
  });

  it('the plan fallback: told when an episode starts (the marker the worker sets), once; a new episode after it ended is told again', () => {
    const smtp = settings();
    const started = markPlanFallback(smtp, 'basic', at(1))!;
    expect(started.planFallback).toEqual({ plan: 'basic', since: at(1) });
    const [e] = settingsCallbackEvents(smtp, started);
    expect(e).toEqual({
      type: 'settings.failing',
      key: `plan_fallback:${at(1)}`,
      orderKey: 'settings:t',
      timestamp: at(1),
      data: {
        tenantId: 't',
        reason: 'plan_fallback',
        mode: 'smtp',
        plan: 'basic',
        reply: { hint: PLAN_FALLBACK_HINT, hintKey: 'settings.planFallback', hintParams: { plan: 'basic' } },
      },
    });
    // The next sends of the episode write nothing, and an unrelated update of the settings says nothing.
    expect(markPlanFallback(started, 'basic', at(2))).toBeNull();
    expect(settingsCallbackEvents(started, { ...started, updatedAt: at(3) })).toEqual([]);
    // Another plan is another episode; a send without the fallback ends it, and the next one is new.
    const other = markPlanFallback(started, 'free', at(4))!;
    expect(settingsCallbackEvents(started, other)[0].key).toBe(`plan_fallback:${at(4)}`);
    const over = markPlanFallback(other, null, at(5))!;
    expect(over.planFallback).toBeUndefined();
    expect(settingsCallbackEvents(other, over)).toEqual([]);
    expect(markPlanFallback(over, null, at(6))).toBeNull();
    expect(settingsCallbackEvents(over, markPlanFallback(over, 'basic', at(7)))[0].key).toBe(`plan_fallback:${at(7)}`);
  });
});
