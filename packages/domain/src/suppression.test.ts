import { acceptedEmail, at, queuedEmail } from '../test/email-fixture';
import { applyEvent, applySendFailure, applySendSuccess, markSending } from './history';
import {
  isSuppressionActive,
  newSuppression,
  preferSuppression,
  suppressionExpiry,
  suppressionInputSchema,
  suppressionQuerySchema,
} from './suppression';
import {
  applySuppressions,
  isMailboxRejection,
  sendableRecipients,
  suppressionForEvent,
  suppressionForSmtpRejection,
} from './suppression-rules';

const ctx = { tenantId: 't', emailId: 'em_1', now: at(10), bounceDays: 30 };

describe('suppression expiry', () => {
  it('bounces and mailbox rejections expire after the configured days; complaints and manual entries never', () => {
    expect(suppressionExpiry('hard_bounce', '2026-01-01T00:00:00.000Z', 30)).toBe('2026-01-31T00:00:00.000Z');
    expect(suppressionExpiry('smtp_rejected', '2026-01-01T00:00:00.000Z', 7)).toBe('2026-01-08T00:00:00.000Z');
    expect(suppressionExpiry('complaint', '2026-01-01T00:00:00.000Z', 30)).toBeUndefined();
    expect(suppressionExpiry('manual', '2026-01-01T00:00:00.000Z', 30)).toBeUndefined();
  });

  it('an entry suppresses until its expiry, exclusive', () => {
    const s = newSuppression({ tenantId: 't', address: 'A@X.example', reason: 'hard_bounce' }, at(0), 1);
    expect(s.address).toBe('a@x.example');
    expect(isSuppressionActive(s, at(86_399))).toBe(true);
    expect(isSuppressionActive(s, at(86_400))).toBe(false);
    expect(isSuppressionActive(newSuppression({ tenantId: 't', address: 'a@x.example', reason: 'manual' }, at(0), 1), at(1e9))).toBe(true);
  });

  it('a permanent entry is never turned into one that expires; an expiring one gives way to anything new', () => {
    const bounce = newSuppression({ tenantId: 't', address: 'a@x.example', reason: 'hard_bounce' }, at(0), 30);
    const complaint = newSuppression({ tenantId: 't', address: 'a@x.example', reason: 'complaint' }, at(5), 30);
    const laterBounce = newSuppression({ tenantId: 't', address: 'a@x.example', reason: 'hard_bounce', sourceEmailId: 'em_2' }, at(9), 30);
    expect(preferSuppression(null, bounce, at(1))).toBe(bounce);
    expect(preferSuppression(bounce, complaint, at(6))).toBe(complaint);
    expect(preferSuppression(complaint, laterBounce, at(10))).toBe(complaint);
    expect(preferSuppression(bounce, laterBounce, at(10))).toBe(laterBounce);
    const expired = newSuppression({ tenantId: 't', address: 'a@x.example', reason: 'hard_bounce' }, at(0), 0);
    expect(preferSuppression(expired, laterBounce, at(10))).toBe(laterBounce);
  });
});

describe('which events suppress', () => {
  const email = acceptedEmail();

  it('a hard bounce from any provider, with the server words as detail', () => {
    const s = suppressionForEvent(
      email,
      { type: 'bounced', recipient: 'B@x.example', bounceType: 'hard', reason: 'User unknown', statusCode: '5.1.1' },
      ctx,
    );
    expect(s).toEqual({
      tenantId: 't',
      address: 'b@x.example',
      reason: 'hard_bounce',
      sourceEmailId: 'em_1',
      detail: '5.1.1 User unknown',
      createdAt: at(10),
      expiresAt: new Date(Date.parse(at(10)) + 30 * 86_400_000).toISOString(),
    });
  });

  it('a hard bounce without an enhanced code keeps its reply code in the detail', () => {
    const s = suppressionForEvent(
      email,
      { type: 'bounced', recipient: 'b@x.example', bounceType: 'hard', reason: 'mailbox unavailable', responseCode: 550 },
      ctx,
    );
    expect(s?.detail).toBe('550 mailbox unavailable');
  });

  it("words that already say the code are the detail as they are (SendGrid's reason starts with both codes)", () => {
    const said = '550 5.1.1 The email account that you tried to reach does not exist.';
    const s = suppressionForEvent(
      email,
      { type: 'bounced', recipient: 'b@x.example', bounceType: 'hard', reason: said, statusCode: '5.1.1' },
      ctx,
    );
    expect(s?.detail).toBe(said);
    const other = suppressionForEvent(
      email,
      { type: 'bounced', recipient: 'b@x.example', bounceType: 'hard', reason: 'see 5.1.10 for details', statusCode: '5.1.1' },
      ctx,
    );
    expect(other?.detail).toBe('5.1.1 see 5.1.10 for details');
  });

  it('a complaint, which never expires', () => {
    const s = suppressionForEvent(email, { type: 'complained', recipient: 'a@x.example' }, ctx);
    expect(s).toMatchObject({ address: 'a@x.example', reason: 'complaint' });
    expect(s).not.toHaveProperty('expiresAt');
  });

  it('not a soft bounce, a deferral, a drop, an open, nor an address the email was not sent to', () => {
    expect(suppressionForEvent(email, { type: 'bounced', recipient: 'a@x.example', bounceType: 'soft' }, ctx)).toBeNull();
    expect(suppressionForEvent(email, { type: 'bounced', recipient: 'a@x.example' }, ctx)).toBeNull();
    expect(suppressionForEvent(email, { type: 'deferred', recipient: 'a@x.example' }, ctx)).toBeNull();
    expect(suppressionForEvent(email, { type: 'dropped', recipient: 'a@x.example' }, ctx)).toBeNull();
    expect(suppressionForEvent(email, { type: 'opened', recipient: 'a@x.example' }, ctx)).toBeNull();
    expect(suppressionForEvent(email, { type: 'complained', recipient: 'z@x.example' }, ctx)).toBeNull();
  });

  it('an event without a recipient names the only recipient of a single-recipient email', () => {
    expect(suppressionForEvent(acceptedEmail(['solo@x.example']), { type: 'complained' }, ctx)).toMatchObject({
      address: 'solo@x.example',
    });
    expect(suppressionForEvent(email, { type: 'complained' }, ctx)).toBeNull();
  });

  it('an SMTP refusal of the mailbox itself, by enhanced code first', () => {
    const yes = [
      { responseCode: 550, response: '550 5.1.1 <b@x.example>: Recipient address rejected: User unknown' },
      { responseCode: 550, response: '550-5.1.1 The email account that you tried to reach does not exist.' },
      { responseCode: 554, response: '554 5.2.1 Mailbox disabled' },
      { responseCode: 550, response: '550 Requested action not taken: mailbox unavailable' },
      { responseCode: 553, response: '553 sorry, that domain is not in my list of allowed rcpthosts' },
      { responseCode: 551 },
    ];
    const no = [
      { responseCode: 550, response: '550 5.7.1 Relaying denied' },
      { responseCode: 552, response: '552 5.2.2 Mailbox full' },
      { responseCode: 550, response: '550 5.1.7 Invalid sender address' },
      { responseCode: 554, response: '554 Transaction failed: spam' },
      { responseCode: 450, response: '450 4.1.1 try again later' },
      { responseCode: 503, response: '503 5.5.1 bad sequence' },
      { response: 'no code at all' },
    ];
    for (const r of yes) expect([r, isMailboxRejection(r)]).toEqual([r, true]);
    for (const r of no) expect([r, isMailboxRejection(r)]).toEqual([r, false]);
    expect(suppressionForSmtpRejection({ email: 'B@x.example', ...yes[0] }, ctx)).toMatchObject({
      address: 'b@x.example',
      reason: 'smtp_rejected',
      detail: yes[0].response,
      expiresAt: expect.any(String),
    });
    expect(suppressionForSmtpRejection({ email: 'b@x.example', ...no[0] }, ctx)).toBeNull();
  });
});

describe('what the history says for a suppressed recipient', () => {
  const bounce = newSuppression({ tenantId: 't', address: 'b@x.example', reason: 'hard_bounce' }, '2025-12-20T08:00:00.000Z', 30);

  it('the recipient ends suppressed with the reason; the others still go', () => {
    const rec = applySuppressions(queuedEmail(), [bounce], at(1), 'api')!;
    expect(rec.recipients.map((r) => r.status)).toEqual(['queued', 'suppressed']);
    expect(rec.recipients[1]).toMatchObject({
      suppression: { reason: 'hard_bounce', since: '2025-12-20T08:00:00.000Z' },
      reason: expect.stringContaining('suppression list since 2025-12-20'),
    });
    expect(rec.status).toBe('queued');
    expect(rec.events).toEqual([expect.objectContaining({ type: 'suppressed', recipient: 'b@x.example', key: 'suppressed:b@x.example' })]);
    expect(sendableRecipients(rec).map((r) => r.email)).toEqual(['a@x.example']);
  });

  it('an email whose every recipient is suppressed ends suppressed, and a repeat changes nothing', () => {
    const a = { ...bounce, address: 'a@x.example', reason: 'complaint' as const };
    const rec = applySuppressions(queuedEmail(), [a, bounce], at(1), 'worker')!;
    expect(rec.status).toBe('suppressed');
    expect(rec.finalAt).toBe(at(1)); // nothing will be sent: the content retention clock starts
    expect(sendableRecipients(rec)).toEqual([]);
    expect(applySuppressions(rec, [a, bounce], at(2), 'worker')).toBeNull();
  });

  it('a recipient deferred by our own retry and then suppressed at send keeps no next try', () => {
    const deferred = applySendFailure(markSending(queuedEmail(), at(1))!, { code: 'ESOCKET', retryable: true }, at(2), false, at(60));
    expect(deferred.recipients[1]).toMatchObject({ status: 'deferred', nextAttemptAt: at(60) });
    const rec = applySuppressions(deferred, [bounce], at(60), 'worker')!;
    expect(rec.recipients[1].status).toBe('suppressed');
    expect(rec.recipients[1]).not.toHaveProperty('nextAttemptAt');
    expect(rec.recipients[0]).toMatchObject({ status: 'deferred', nextAttemptAt: at(60) });
  });

  it('an accepted recipient is not suppressed after the fact, nor an address the email was not sent to', () => {
    expect(applySuppressions(acceptedEmail(), [bounce], at(3), 'worker')).toBeNull();
    expect(applySuppressions(queuedEmail(), [{ ...bounce, address: 'z@x.example' }], at(3), 'api')).toBeNull();
  });

  it('a recipient a provider accepted and then deferred is neither sendable nor suppressed', () => {
    const accepted = acceptedEmail();
    const providerDeferred = applyEvent(
      accepted,
      { type: 'deferred', at: at(3), key: 'mg:d', source: 'mailgun', recipient: 'b@x.example' },
      at(3),
    )!;
    expect(providerDeferred.recipients[1].status).toBe('deferred');
    expect(sendableRecipients(providerDeferred)).toEqual([]);
    expect(applySuppressions(providerDeferred, [bounce], at(4), 'worker')).toBeNull();
  });

  it('the send of the other recipients never marks the suppressed one, and a failed attempt leaves it too', () => {
    const rec = applySuppressions(queuedEmail(), [bounce], at(1), 'worker')!;
    const sent = applySendSuccess(
      markSending(rec, at(2))!,
      { messageId: '<m@x>', recipients: [{ email: 'a@x.example', accepted: true }] },
      at(3),
    );
    expect(sent.recipients.map((r) => r.status)).toEqual(['accepted', 'suppressed']);
    expect(sent.status).toBe('accepted');
    const failed = applySendFailure(markSending(rec, at(2))!, { code: 'EAUTH', retryable: false }, at(3), true);
    expect(failed.recipients.map((r) => r.status)).toEqual(['failed', 'suppressed']);
    expect(failed.status).toBe('failed');
  });
});

describe('API input', () => {
  it('a manual entry: the address lower-cased, reason manual by default, a clear error naming the field', () => {
    expect(suppressionInputSchema.parse({ address: 'Client@Example.COM', note: ' mailbox closed ' })).toEqual({
      address: 'client@example.com',
      reason: 'manual',
      note: 'mailbox closed',
    });
    const bad = suppressionInputSchema.safeParse({ address: 'a@b.co', reason: 'hard_bounce' });
    expect(bad.success).toBe(false);
    expect(bad.error!.issues[0]).toMatchObject({ path: ['reason'] });
    expect(suppressionInputSchema.safeParse({ address: 'not an address' }).success).toBe(false);
    expect(suppressionInputSchema.safeParse({ address: 'a@b.co', extra: 1 }).success).toBe(false);
  });

  it('the list query: exact address or prefix, reason, limit', () => {
    expect(suppressionQuerySchema.parse({ addressPrefix: 'Client', limit: '10' })).toEqual({ addressPrefix: 'client', limit: 10 });
    expect(suppressionQuerySchema.safeParse({ address: 'a@b.co', addressPrefix: 'a' }).success).toBe(false);
    expect(suppressionQuerySchema.safeParse({ reason: 'soft_bounce' }).success).toBe(false);
    expect(suppressionQuerySchema.safeParse({ limit: '0' }).success).toBe(false);
  });
});
