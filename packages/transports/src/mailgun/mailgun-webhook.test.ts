import { createHmac } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { buildMailgunWebhookPost, MailgunEmulator, mailgunEvents, startMailgunEmulator } from '../../../testkit/src/emulators/mailgun';
import type { IncomingWebhook, NormalizedEvent, VerifyOutcome } from '../webhook';
import { parseMailgunEvent, verifyMailgunWebhook } from './mailgun-webhook';
import { MailgunWebhookPayloadError } from './mailgun-webhook-payload-error';
import { MailgunTransport } from './mailgun-transport';
import { startWebhookReceiver, WebhookReceiver } from '../../test/webhook-receiver';

/** Signed with `mailroom-vector-signing-key` by `openssl dgst -sha256 -hmac`, independently of the code under test. */
const VECTOR_KEY = 'mailroom-vector-signing-key';
const vector = fs.readFileSync(path.join(__dirname, '../../test/fixtures/mailgun-delivered.signed.json'));
const VECTOR_TIME = new Date('2026-01-01T00:00:30Z');

const incoming = (rawBody: Buffer): IncomingWebhook => ({ rawBody, headers: { 'content-type': 'application/json' } });
const target = {
  recipient: 'client@example.com',
  messageId: '<em_01@mailroom.example>',
  userVariables: { mailroom_email_id: 'em_01', mailroom_tenant_id: 't_a' },
};
const one = (data: Record<string, unknown>): NormalizedEvent => {
  const events = parseMailgunEvent(Buffer.from(JSON.stringify({ signature: {}, 'event-data': data })));
  expect(events).toHaveLength(1);
  return events[0];
};

describe('verifyMailgunWebhook', () => {
  const key = 'key-signing-0123456789abcdef';
  const now = new Date();
  const post = (options: Parameters<typeof buildMailgunWebhookPost>[2] = {}) =>
    buildMailgunWebhookPost(key, mailgunEvents.delivered(target), options);

  it("accepts a subaccount's post by its parent-signature when the stored key is the parent account's", () => {
    const parentKey = 'key-parent-account-fedcba9876543210';
    const sub = post();
    const { timestamp, token } = sub.signature!;
    const parentSignature = createHmac('sha256', parentKey).update(`${timestamp}${token}`).digest('hex');
    const body = JSON.parse(sub.body.toString('utf8'));
    const withParent = Buffer.from(JSON.stringify({ ...body, signature: { ...body.signature, 'parent-signature': parentSignature } }));
    expect(verifyMailgunWebhook(incoming(withParent), parentKey, now)).toEqual({ ok: true, replayToken: token });
    // The subaccount's own key still verifies it, and a third key neither signature.
    expect(verifyMailgunWebhook(incoming(withParent), key, now)).toEqual({ ok: true, replayToken: token });
    expect(verifyMailgunWebhook(incoming(withParent), 'key-someone-else-000000', now)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('accepts an independently signed vector and hands back its token for replay refusal', () => {
    expect(verifyMailgunWebhook(incoming(vector), VECTOR_KEY, VECTOR_TIME)).toEqual({
      ok: true,
      replayToken: 'f0e1d2c3b4a5968778695a4b3c2d1e0f001122334455667788',
    });
    expect(verifyMailgunWebhook(incoming(vector), VECTOR_KEY + 'x', VECTOR_TIME)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('accepts a genuine post, once per token as far as the receiver is concerned', () => {
    const genuine = post();
    const first = verifyMailgunWebhook(incoming(genuine.body), key, now);
    expect(first).toEqual({ ok: true, replayToken: genuine.signature!.token });
    // A replay verifies again (the HMAC cannot tell): the same token comes back, and the receiver refuses it.
    const replay = buildMailgunWebhookPost(key, mailgunEvents.delivered(target), { reuse: genuine.signature });
    expect(verifyMailgunWebhook(incoming(replay.body), key, now)).toEqual(first);
  });

  it.each(['signature', 'timestamp', 'token'] as const)('refuses a post whose %s was tampered with', (field) => {
    expect(verifyMailgunWebhook(incoming(post({ tamper: field }).body), key, now)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a post signed with another key', () => {
    expect(verifyMailgunWebhook(incoming(post({ signingKey: 'key-someone-else' }).body), key, now)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it("takes Mailgun's last retry, which resends the first attempt's signature 8 h later; refuses older posts and posts from the future", () => {
    const nowS = now.getTime() / 1000;
    const lastRetry = post({ timestamp: nowS - (10 + 10 + 15 + 30 + 60 + 120 + 240) * 60 });
    expect(verifyMailgunWebhook(incoming(lastRetry.body), key, now)).toMatchObject({ ok: true, replayToken: lastRetry.signature!.token });
    const old = post({ timestamp: nowS - 10 * 3600 });
    expect(verifyMailgunWebhook(incoming(old.body), key, now)).toMatchObject({ ok: false, reason: 'stale' });
    // WEBHOOK_MAX_AGE_SECONDS narrows it.
    expect(verifyMailgunWebhook(incoming(post({ timestamp: nowS - 601 }).body), key, now, 600)).toMatchObject({
      ok: false,
      reason: 'stale',
    });
    const future = post({ timestamp: nowS + 900 });
    expect(verifyMailgunWebhook(incoming(future.body), key, now)).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('refuses unsigned posts, posts without a stored key, and bodies that are not Mailgun JSON', () => {
    expect(verifyMailgunWebhook(incoming(post({ unsigned: true }).body), key, now)).toMatchObject({ ok: false, reason: 'unsigned' });
    expect(verifyMailgunWebhook(incoming(post().body), undefined, now)).toMatchObject({ ok: false, reason: 'no-key' });
    expect(verifyMailgunWebhook(incoming(Buffer.from('timestamp=1&token=a&signature=b')), key, now)).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const noTime = Buffer.from(JSON.stringify({ signature: { token: 'a'.repeat(50), signature: 'b'.repeat(64) }, 'event-data': {} }));
    expect(verifyMailgunWebhook(incoming(noTime), key, now)).toMatchObject({ ok: false, reason: 'malformed' });
    const shortSig = Buffer.from(JSON.stringify({ signature: { timestamp: '1767225600', token: 'a'.repeat(50), signature: 'abc' } }));
    expect(verifyMailgunWebhook(incoming(shortSig), key, now)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('parseMailgunEvent', () => {
  it('reads the independently written fixture', () => {
    expect(parseMailgunEvent(vector)).toEqual([
      {
        type: 'delivered',
        emailId: 'em_7f3a',
        tenantId: 't_acme',
        recipient: 'client@example.com',
        at: '2025-12-31T23:59:59.481Z',
        key: 'mailgun:q2X8kT0bR9uZ3mV7yL1pWa',
        reason: '2.0.0 OK 1767225599 a1si123 - gsmtp',
        responseCode: 250,
        statusCode: '2.0.0',
        providerMessageId: 'em_7f3a@mailroom.example',
      },
    ]);
  });

  it('maps every event Mailroom tracks', () => {
    expect(one(mailgunEvents.accepted(target))).toMatchObject({
      type: 'accepted',
      emailId: 'em_01',
      tenantId: 't_a',
      providerMessageId: 'em_01@mailroom.example',
    });
    expect(one(mailgunEvents.delivered(target))).toMatchObject({ type: 'delivered', responseCode: 250 });
    expect(one(mailgunEvents.failedPermanent(target))).toMatchObject({
      type: 'bounced',
      bounceType: 'hard',
      responseCode: 550,
      statusCode: '5.1.1',
      reason: '5.1.1 The email account that you tried to reach does not exist.',
    });
    expect(one(mailgunEvents.failedTemporary(target, { code: 498, message: '', description: 'No MX for example.com' }))).toMatchObject({
      type: 'deferred',
      responseCode: 498,
      reason: 'No MX for example.com',
    });
    expect(
      one(
        mailgunEvents.failedPermanent(target, {
          reason: 'suppress-bounce',
          code: 605,
          message: '',
          description: 'Not delivering to previously bounced address',
        }),
      ),
    ).toMatchObject({
      type: 'dropped',
      reason: 'Not delivering to previously bounced address',
    });
    expect(one(mailgunEvents.rejected(target, { reason: 'Sandbox subdomains are for test purposes only' }))).toMatchObject({
      type: 'dropped',
      reason: 'Sandbox subdomains are for test purposes only',
    });
    expect(one(mailgunEvents.clicked(target, { url: 'https://pay.example.com/F-2026-001' }))).toMatchObject({
      type: 'clicked',
      url: 'https://pay.example.com/F-2026-001',
    });
    expect(one(mailgunEvents.unsubscribed(target)).type).toBe('unsubscribed');
    expect(one(mailgunEvents.complained(target)).type).toBe('complained');
  });

  it('puts delivery-status.code in responseCode and only an enhanced code (d.d.d) in statusCode', () => {
    const delivered = one(mailgunEvents.delivered(target));
    expect(delivered).toMatchObject({ responseCode: 250, reason: 'OK' });
    expect(delivered.statusCode).toBeUndefined();
    const noMx = one(mailgunEvents.failedTemporary(target, { code: 498, message: 'No MX for example.com' }));
    expect(noMx).toMatchObject({ type: 'deferred', responseCode: 498 });
    expect(noMx.statusCode).toBeUndefined();
    expect(one(mailgunEvents.failedTemporary(target))).toMatchObject({ responseCode: 452, statusCode: '4.2.2' });
    // A code Mailgun reports as a string is still the reply code; its own 605 (suppressed) is no SMTP reply code.
    expect(one(mailgunEvents.failedPermanent(target, { code: '551' as unknown as number, message: 'User not local' }))).toMatchObject({
      responseCode: 551,
    });
    const suppressed = one(mailgunEvents.failedPermanent(target, { reason: 'suppress-bounce', code: 605, message: '', description: 'x' }));
    expect(suppressed.type).toBe('dropped');
    expect(suppressed.responseCode).toBeUndefined();
    expect(suppressed.statusCode).toBeUndefined();
  });

  it("tells machine opens from people: Mailgun's bot flag first, the User-Agent otherwise", () => {
    expect(one(mailgunEvents.opened(target))).toMatchObject({ type: 'opened', machine: false });
    expect(one(mailgunEvents.opened(target, { bot: 'apple' }))).toMatchObject({ type: 'opened', machine: true });
    expect(one(mailgunEvents.opened(target, { bot: 'generic', userAgent: 'Mozilla/5.0 (Windows NT 10.0) Chrome/124.0' })).machine).toBe(
      true,
    );
    // An older payload without the bot field: Apple's proxy still shows as a bare Mozilla/5.0.
    const legacy = mailgunEvents.opened(target, { userAgent: 'Mozilla/5.0' });
    delete (legacy['client-info'] as Record<string, unknown>).bot;
    expect(one(legacy).machine).toBe(true);
    expect(one(mailgunEvents.clicked(target, { url: 'https://x.example', bot: 'generic' })).machine).toBe(true);
    expect(one(mailgunEvents.clicked(target, { url: 'https://x.example' })).machine).toBeUndefined();
  });

  it('keys each event on its own id and reads the float timestamp', () => {
    const a = one(mailgunEvents.delivered(target, { timestamp: 1534108637.153125 }));
    const b = one(mailgunEvents.delivered(target, { timestamp: 1534108637.153125 }));
    expect(a.at).toBe('2018-08-12T21:17:17.153Z');
    expect(a.key).toMatch(/^mailgun:[\w-]{22}$/);
    expect(a.key).not.toBe(b.key);
  });

  it('reads ids Mailgun turned into numbers, and leaves out ids that are not ours', () => {
    const numeric = mailgunEvents.delivered({ ...target, userVariables: { mailroom_email_id: 12345, mailroom_tenant_id: 't_a' } });
    expect(one(numeric).emailId).toBe('12345');
    const foreign = one(mailgunEvents.delivered({ ...target, userVariables: { campaign: 'spring' } }));
    expect(foreign.emailId).toBeUndefined();
    expect(foreign.tenantId).toBeUndefined();
  });

  it('skips event types it does not track, and throws on bodies that are not Mailgun events', () => {
    expect(parseMailgunEvent(Buffer.from(JSON.stringify({ 'event-data': { id: 'x', timestamp: 1, event: 'stored' } })))).toEqual([]);
    expect(() => parseMailgunEvent(Buffer.from('not json'))).toThrow(MailgunWebhookPayloadError);
    expect(() => parseMailgunEvent(Buffer.from('not json'))).toThrow(/not JSON/);
    expect(() => parseMailgunEvent(Buffer.from('[]'))).toThrow(/no "event-data"/);
    expect(() => parseMailgunEvent(Buffer.from(JSON.stringify({ 'event-data': { event: 'delivered', timestamp: 1 } })))).toThrow(/no "id"/);
    expect(() => parseMailgunEvent(Buffer.from(JSON.stringify({ 'event-data': { id: 'x', event: 'delivered' } })))).toThrow(/timestamp/);
  });
});

describe("Mailgun webhooks over real HTTP: a sent email's events, posted by the emulator", () => {
  const KEY = 'key-' + 'k'.repeat(32);
  let mg: MailgunEmulator;
  let receiver: WebhookReceiver;
  const received: { outcome: VerifyOutcome; events?: NormalizedEvent[] }[] = [];

  beforeAll(async () => {
    mg = await startMailgunEmulator({ keys: [KEY], domains: ['mg.tenant-a.example'] });
    receiver = await startWebhookReceiver('/webhooks/mailgun/t_a', (post) => {
      const outcome = verifyMailgunWebhook(post, mg.signingKey, new Date());
      received.push({ outcome, events: outcome.ok ? parseMailgunEvent(post.rawBody) : undefined });
      return outcome.ok ? 200 : 406;
    });
  });
  afterAll(async () => {
    await mg.close();
    await receiver.close();
  });

  it('correlates each event with the email through the v: variables and the bare message id', async () => {
    const transport = new MailgunTransport({ apiKey: KEY, domain: 'mg.tenant-a.example', baseUrl: mg.url, timeoutMs: 5000 });
    const result = await transport.send({
      emailId: 'em_42',
      tenantId: 't_a',
      from: { email: 'billing@mg.tenant-a.example', name: 'Tenant A' },
      to: [{ email: 'client@example.com' }],
      cc: [{ email: 'accounting@example.com' }],
      bcc: [],
      subject: 'Invoice',
      text: 'Hi',
      attachments: [],
      messageId: '<em_42@mailroom.example>',
      headers: {},
      trackOpens: true,
    });
    const sent = mg.sent.find((s) => s.id === `<${result.providerMessageId}>`)!;
    const targets = mg.targetsOf(sent);
    expect(targets.map((t) => t.recipient)).toEqual(['client@example.com', 'accounting@example.com']);

    const answers = await Promise.all([
      mg.postEvent(receiver.url, mailgunEvents.delivered(targets[0])),
      mg.postEvent(receiver.url, mailgunEvents.opened(targets[0], { bot: 'apple' })),
      mg.postEvent(receiver.url, mailgunEvents.failedPermanent(targets[1])),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    const events = received.flatMap((r) => r.events ?? []);
    expect(events.map((e) => [e.type, e.recipient]).sort()).toEqual([
      ['bounced', 'accounting@example.com'],
      ['delivered', 'client@example.com'],
      ['opened', 'client@example.com'],
    ]);
    for (const e of events) expect(e).toMatchObject({ emailId: 'em_42', tenantId: 't_a', providerMessageId: result.providerMessageId });

    const forged = await mg.postEvent(receiver.url, mailgunEvents.delivered(targets[0]), { signingKey: 'key-guessed' });
    expect(forged.status).toBe(406);
    expect(received[received.length - 1].outcome).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});
