import { applyEvent, applySendFailure, applySendSuccess, markSending } from './history';
import type { EmailRecord } from './email';
import { canMove, summariseStatus } from './status';
import { isMachineOpen } from './machine-open';
import { mergeAddresses } from './address';
import { enqueueEmailSchema } from './index';

const T0 = '2026-01-01T00:00:00.000Z';
const at = (s: number) => new Date(Date.parse(T0) + s * 1000).toISOString();

function email(recipients = ['a@x.example', 'b@x.example']): EmailRecord {
  return {
    id: 'em_1',
    tenantId: 't',
    status: 'queued',
    subject: 's',
    to: recipients.map((e) => ({ email: e })),
    cc: [],
    bcc: [],
    transport: { mode: 'provider', provider: 'sendgrid' },
    recipients: recipients.map((e) => ({ email: e, kind: 'to' as const, status: 'queued' as const, updatedAt: T0 })),
    attempts: [],
    events: [],
    opens: { count: 0, machineCount: 0 },
    test: false,
    hasHtml: true,
    attachmentCount: 0,
    createdAt: T0,
    updatedAt: T0,
  };
}
const sent = () =>
  applySendSuccess(
    markSending(email(), at(1))!,
    {
      messageId: '<m>',
      recipients: [
        { email: 'a@x.example', accepted: true },
        { email: 'b@x.example', accepted: true },
      ],
    },
    at(2),
  );

describe('status ladder', () => {
  it('only moves forward', () => {
    expect(canMove('accepted', 'delivered')).toBe(true);
    expect(canMove('delivered', 'accepted')).toBe(false);
    expect(canMove('opened', 'delivered')).toBe(false);
    expect(canMove('deferred', 'accepted')).toBe(true);
    expect(canMove('accepted', 'deferred')).toBe(true);
    expect(canMove('delivered', 'bounced')).toBe(true);
    expect(canMove('bounced', 'opened')).toBe(false);
    expect(canMove('failed', 'delivered')).toBe(true);
  });
  it('summarises: the least advanced healthy recipient, else the most severe problem', () => {
    expect(summariseStatus(['delivered', 'opened'])).toBe('delivered');
    expect(summariseStatus(['bounced', 'opened'])).toBe('opened');
    expect(summariseStatus(['bounced', 'failed'])).toBe('bounced');
  });
});

describe('history transitions', () => {
  it('a send changes only the recipients in its envelope: one suppressed or canceled before it gets no "accepted"', () => {
    const base = markSending(email(['a@x.example', 'old@example.com', 'gone@x.example']), at(1))!;
    const suppression = { reason: 'hard_bounce' as const, since: T0 };
    const before: EmailRecord = {
      ...base,
      recipients: base.recipients.map((r) =>
        r.email === 'old@example.com'
          ? { ...r, status: 'suppressed' as const, suppression }
          : r.email === 'gone@x.example'
            ? { ...r, status: 'canceled' as const }
            : r,
      ),
    };
    const rec = applySendSuccess(before, { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: true }] }, at(2));
    expect(rec.recipients.map((r) => [r.email, r.status])).toEqual([
      ['a@x.example', 'accepted'],
      ['old@example.com', 'suppressed'],
      ['gone@x.example', 'canceled'],
    ]);
    expect(rec.events.filter((e) => e.type === 'accepted').map((e) => e.recipient)).toEqual(['a@x.example']);
  });

  it("a refused recipient keeps the server's reply code as responseCode and its enhanced status as statusCode", () => {
    const rec = applySendSuccess(
      markSending(email(['a@x.example']), at(1))!,
      { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: false, responseCode: 550, response: '550 5.1.1 no such user' }] },
      at(2),
    );
    expect(rec.recipients[0]).toMatchObject({ status: 'failed', responseCode: 550, statusCode: '5.1.1', reason: '550 5.1.1 no such user' });
    const plain = applySendSuccess(
      markSending(email(['a@x.example']), at(1))!,
      { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: false, responseCode: 550, response: '550 no' }] },
      at(2),
    );
    expect(plain.recipients[0].responseCode).toBe(550);
    expect(plain.recipients[0].statusCode).toBeUndefined();
  });

  it('records acceptance per recipient and a refused recipient as failed', () => {
    const rec = applySendSuccess(
      markSending(email(), at(1))!,
      {
        messageId: '<m>',
        recipients: [
          { email: 'a@x.example', accepted: true },
          { email: 'b@x.example', accepted: false, response: '550 no' },
        ],
      },
      at(2),
    );
    expect(rec.recipients.map((r) => r.status)).toEqual(['accepted', 'failed']);
    expect(rec.status).toBe('accepted');
    expect(rec.messageId).toBe('<m>');
  });

  it('a retryable failure defers, the final one fails', () => {
    const fail = { code: 'ESOCKET', retryable: true, response: 'refused' };
    const deferred = applySendFailure(markSending(email(), at(1))!, fail, at(2), false);
    expect(deferred.status).toBe('deferred');
    const failed = applySendFailure(deferred, fail, at(3), true);
    expect(failed.status).toBe('failed');
    expect(failed.attempts).toHaveLength(2);
  });

  it('a duplicate event changes nothing; out-of-order events never move a status backwards', () => {
    const delivered = applyEvent(
      sent(),
      { type: 'delivered', at: at(10), recipient: 'a@x.example', key: 'sg:1', source: 'sendgrid' },
      at(11),
    )!;
    expect(
      applyEvent(delivered, { type: 'delivered', at: at(10), recipient: 'a@x.example', key: 'sg:1', source: 'sendgrid' }, at(12)),
    ).toBeNull();
    const late = applyEvent(delivered, { type: 'accepted', at: at(5), recipient: 'a@x.example', key: 'sg:0', source: 'sendgrid' }, at(13))!;
    expect(late.recipients[0].status).toBe('delivered');
    expect(late.events.map((e) => e.key)).toEqual(['worker:accepted:a@x.example', 'worker:accepted:b@x.example', 'sg:0', 'sg:1']);
  });

  it('machine opens are recorded but do not count as a person opening', () => {
    const machine = applyEvent(
      sent(),
      { type: 'opened', at: at(3), recipient: 'a@x.example', key: 'o:1', source: 'sendgrid', machine: true },
      at(3),
    )!;
    expect(machine.recipients[0].status).toBe('accepted');
    expect(machine.opens).toEqual({ count: 0, machineCount: 1 });
    const human = applyEvent(machine, { type: 'opened', at: at(60), recipient: 'a@x.example', key: 'o:2', source: 'sendgrid' }, at(60))!;
    const again = applyEvent(human, { type: 'opened', at: at(30), recipient: 'a@x.example', key: 'o:3', source: 'sendgrid' }, at(61))!;
    expect(again.opens).toEqual({ count: 2, machineCount: 1, firstAt: at(30), lastAt: at(60) });
    expect(again.recipients[0].status).toBe('opened');
  });

  it('ignores events about addresses the email was not sent to', () => {
    expect(applyEvent(sent(), { type: 'bounced', at: at(3), recipient: 'z@x.example', key: 'b:1', source: 'mailgun' }, at(3))).toBeNull();
  });

  it('a bounce keeps its reason, code and type', () => {
    const b = applyEvent(
      sent(),
      {
        type: 'bounced',
        at: at(3),
        recipient: 'b@x.example',
        key: 'b:1',
        source: 'mailgun',
        reason: 'User unknown',
        statusCode: '5.1.1',
        bounceType: 'hard',
      },
      at(3),
    )!;
    expect(b.recipients[1]).toMatchObject({ status: 'bounced', reason: 'User unknown', statusCode: '5.1.1', bounceType: 'hard' });
  });

  it("a provider's reply code goes on the recipient as responseCode, not into the timeline event", () => {
    const b = applyEvent(
      sent(),
      {
        type: 'bounced',
        at: at(3),
        recipient: 'b@x.example',
        key: 'b:1',
        source: 'mailgun',
        reason: 'mailbox unavailable',
        responseCode: 550,
      },
      at(3),
    )!;
    expect(b.recipients[1]).toMatchObject({ status: 'bounced', reason: 'mailbox unavailable', responseCode: 550 });
    expect(b.recipients[1].statusCode).toBeUndefined();
    expect(b.events.find((e) => e.key === 'b:1')).not.toHaveProperty('responseCode');
  });

  it("a later reply replaces the reason and both codes together: a delivery keeps nothing of the deferral's", () => {
    const deferred = applyEvent(
      sent(),
      {
        type: 'deferred',
        at: at(3),
        recipient: 'a@x.example',
        key: 'd:1',
        source: 'mailgun',
        reason: '4.2.2 Mailbox full',
        responseCode: 452,
        statusCode: '4.2.2',
      },
      at(3),
    )!;
    const delivered = applyEvent(
      deferred,
      { type: 'delivered', at: at(9), recipient: 'a@x.example', key: 'v:1', source: 'mailgun', reason: 'OK', responseCode: 250 },
      at(9),
    )!;
    expect(delivered.recipients[0]).toMatchObject({ status: 'delivered', reason: 'OK', responseCode: 250 });
    expect(delivered.recipients[0].statusCode).toBeUndefined();
    // An event without words (an open) moves the recipient without the delivery's reply.
    const opened = applyEvent(delivered, { type: 'opened', at: at(20), recipient: 'a@x.example', key: 'o:1', source: 'mailgun' }, at(20))!;
    expect(opened.recipients[0]).toMatchObject({ status: 'opened' });
    expect(opened.recipients[0]).not.toHaveProperty('reason');
    expect(opened.recipients[0]).not.toHaveProperty('responseCode');
  });

  it("a complaint after a delivery, or after a soft bounce, keeps nothing of their replies (the platform's callback would repeat them)", () => {
    const delivered = applyEvent(
      sent(),
      {
        type: 'delivered',
        at: at(3),
        recipient: 'a@x.example',
        key: 'v:1',
        source: 'sendgrid',
        reason: '250 2.0.0 OK',
        responseCode: 250,
        statusCode: '2.0.0',
      },
      at(3),
    )!;
    const complained = applyEvent(
      delivered,
      { type: 'complained', at: at(4), recipient: 'a@x.example', key: 'c:1', source: 'sendgrid' },
      at(4),
    )!;
    expect(complained.recipients[0]).toEqual({ email: 'a@x.example', kind: 'to', status: 'complained', updatedAt: at(4) });
    const softBounced = applyEvent(
      sent(),
      { type: 'bounced', at: at(3), recipient: 'b@x.example', key: 'b:1', source: 'mailjet', reason: 'mailbox full', bounceType: 'soft' },
      at(3),
    )!;
    const spam = applyEvent(
      softBounced,
      { type: 'complained', at: at(5), recipient: 'b@x.example', key: 'c:2', source: 'mailjet' },
      at(5),
    )!;
    expect(spam.recipients[1]).toEqual({ email: 'b@x.example', kind: 'to', status: 'complained', updatedAt: at(5) });
  });

  it("a retry that went through leaves nothing of the failed attempt's words on the recipient; the attempt keeps them", () => {
    const deferred = applySendFailure(
      markSending(email(), at(1))!,
      { code: 'EHTTP429', retryable: true, response: 'too many requests' },
      at(2),
      false,
    );
    expect(deferred.recipients[0]).toMatchObject({ status: 'deferred', reason: 'too many requests' });
    const accepted = applySendSuccess(
      markSending(deferred, at(3))!,
      {
        messageId: '<m>',
        recipients: [
          { email: 'a@x.example', accepted: true },
          { email: 'b@x.example', accepted: true },
        ],
      },
      at(4),
    );
    expect(accepted.recipients.map((r) => [r.status, r.reason])).toEqual([
      ['accepted', undefined],
      ['accepted', undefined],
    ]);
    expect(accepted.attempts.map((a) => a.response)).toEqual(['too many requests', undefined]);
  });
});

describe('machine opens on our pixel', () => {
  it('tells scanners and prefetchers from people', () => {
    expect(isMachineOpen('Mozilla/5.0')).toBe(true);
    expect(isMachineOpen(undefined)).toBe(true);
    expect(isMachineOpen('Barracuda Sentinel (EE)')).toBe(true);
    expect(isMachineOpen('python-requests/2.31')).toBe(true);
    expect(isMachineOpen('Mozilla/5.0 (Windows NT 5.1; rv:11.0) Gecko Firefox/11.0 (via ggpht.com GoogleImageProxy)')).toBe(false);
    expect(isMachineOpen('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15', 1500, 1000)).toBe(true);
    expect(isMachineOpen('Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15', 60_000, 1000)).toBe(false);
  });
});

describe('input schemas', () => {
  it('merges address lists without duplicates, case-insensitively', () => {
    expect(mergeAddresses([[{ email: 'a@x.co' }], [{ email: 'A@x.co' }, { email: 'b@x.co' }]], [{ email: 'b@x.co' }])).toEqual([
      { email: 'a@x.co' },
    ]);
  });
  it('refuses header injection in subjects and names', () => {
    expect(enqueueEmailSchema.safeParse({ to: ['a@b.co'], subject: 'x\r\nBcc: y@z.co', text: 't' }).success).toBe(false);
    expect(enqueueEmailSchema.safeParse({ to: [{ email: 'a@b.co', name: 'A\nB' }], subject: 'x', text: 't' }).success).toBe(false);
  });
});

describe('a recipient the server refused for now', () => {
  const refusedForNow = { email: 'b@x.example', accepted: false, response: '451 4.2.1 Mailbox busy', responseCode: 451 };
  const result = { messageId: '<m>', recipients: [{ email: 'a@x.example', accepted: true }, refusedForNow] };

  it('waits for the next try alone, and the email is deferred (not final) until then', () => {
    const rec = applySendSuccess(markSending(email(), at(1))!, result, at(2), at(60));
    expect(rec.recipients.map((r) => [r.email, r.status, r.nextAttemptAt])).toEqual([
      ['a@x.example', 'accepted', undefined],
      ['b@x.example', 'deferred', at(60)],
    ]);
    expect(rec.recipients[1]).toMatchObject({ reason: '451 4.2.1 Mailbox busy', responseCode: 451, statusCode: '4.2.1' });
    expect(rec).toMatchObject({ status: 'deferred', nextAttemptAt: at(60) });
    expect(rec.finalAt).toBeUndefined();
    expect(rec.events.filter((e) => e.type === 'deferred').map((e) => e.recipient)).toEqual(['b@x.example']);
  });

  it('fails on the last attempt (no next try), and a permanent refusal fails whatever is left', () => {
    const last = applySendSuccess(markSending(email(), at(1))!, result, at(2));
    expect(last.recipients[1]).toMatchObject({ status: 'failed', responseCode: 451 });
    expect(last.status).toBe('accepted');
    const permanent = applySendSuccess(
      markSending(email(), at(1))!,
      { ...result, recipients: [result.recipients[0], { ...refusedForNow, response: '550 5.1.1 unknown', responseCode: 550 }] },
      at(2),
      at(60),
    );
    expect(permanent.recipients[1].status).toBe('failed');
    expect(permanent.status).toBe('accepted');
  });

  it("a provider's HTTP 4xx for one recipient is final when the transport says so, whatever its code", () => {
    const excluded = { email: 'b@x.example', accepted: false, response: 'send-0011: excluded', responseCode: 400, retryable: false };
    const rec = applySendSuccess(markSending(email(), at(1))!, { ...result, recipients: [result.recipients[0], excluded] }, at(2), at(60));
    expect(rec.recipients[1]).toMatchObject({ status: 'failed', responseCode: 400 });
    expect(rec.recipients[1].nextAttemptAt).toBeUndefined();
    expect(rec.status).toBe('accepted');
    const busy = { ...excluded, responseCode: 503, retryable: true };
    const later = applySendSuccess(markSending(email(), at(1))!, { ...result, recipients: [result.recipients[0], busy] }, at(2), at(60));
    expect(later.recipients[1]).toMatchObject({ status: 'deferred', nextAttemptAt: at(60) });
  });

  it('its retry alone failing again names it in the event, deferred then failed; an attempt for the whole email names nobody', () => {
    const fail = { code: 'ESOCKET', retryable: true, response: '421 4.3.2 try later', responseCode: 421 };
    const first = applySendSuccess(markSending(email(), at(1))!, result, at(2), at(60));
    const again = applySendFailure(markSending(first, at(60)) ?? first, fail, at(61), false, at(180));
    const attemptEvents = (r: EmailRecord) => r.events.filter((e) => e.key.startsWith('worker:attempt:'));
    expect(attemptEvents(again)).toEqual([
      {
        type: 'deferred',
        at: at(61),
        recipient: 'b@x.example',
        recipients: ['b@x.example'],
        key: 'worker:attempt:2',
        source: 'worker',
        reason: '421 4.3.2 try later',
      },
    ]);
    expect(again.recipients.map((r) => r.status)).toEqual(['accepted', 'deferred']);
    const last = applySendFailure(again, fail, at(181), true);
    expect(attemptEvents(last)[1]).toMatchObject({ type: 'failed', recipient: 'b@x.example', recipients: ['b@x.example'] });
    // Two left by the first send: the event lists both, and names no single recipient.
    const three = email(['a@x.example', 'b@x.example', 'c@x.example']);
    const both = applySendSuccess(
      markSending(three, at(1))!,
      { ...result, recipients: [...result.recipients, { ...refusedForNow, email: 'c@x.example' }] },
      at(2),
      at(60),
    );
    const [event] = attemptEvents(applySendFailure(both, fail, at(61), false, at(180)));
    expect(event.recipients).toEqual(['b@x.example', 'c@x.example']);
    expect(event).not.toHaveProperty('recipient');
    // The whole email's attempt: the event's shape as it always was.
    const [whole] = attemptEvents(applySendFailure(markSending(email(), at(1))!, fail, at(2), false, at(60)));
    expect(whole).toEqual({ type: 'deferred', at: at(2), key: 'worker:attempt:1', source: 'worker', reason: '421 4.3.2 try later' });
  });

  it('refused for now again: the new reply and time replace the old ones, then a later send takes it', () => {
    const first = applySendSuccess(markSending(email(), at(1))!, result, at(2), at(60));
    const again = applySendSuccess(
      markSending(first, at(60)) ?? first,
      { messageId: '<m2>', recipients: [{ ...refusedForNow, response: '452 4.2.2 Mailbox full', responseCode: 452 }] },
      at(61),
      at(180),
    );
    expect(again.recipients[1]).toMatchObject({ status: 'deferred', nextAttemptAt: at(180), responseCode: 452, statusCode: '4.2.2' });
    const taken = applySendSuccess(again, { messageId: '<m3>', recipients: [{ email: 'b@x.example', accepted: true }] }, at(181));
    expect(taken.recipients.map((r) => r.status)).toEqual(['accepted', 'accepted']);
    expect(taken.recipients[1].nextAttemptAt).toBeUndefined();
    expect(taken.recipients[1].reason).toBeUndefined();
    expect(taken.status).toBe('accepted');
  });
});
