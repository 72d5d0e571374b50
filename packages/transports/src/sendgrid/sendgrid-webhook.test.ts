import { generateKeyPairSync } from 'node:crypto';
// The testkit is a sibling workspace package that transports does not depend on at run time.
import {
  EmulatedEventWebhook,
  SendgridEmulator,
  SendgridSignedPost,
  sendgridEvents,
  startSendgridEmulator,
} from '../../../testkit/src/emulators/sendgrid';
import type { IncomingWebhook } from '../webhook';
import { parseSendgridEvents, SendgridWebhookPayloadError, verifySendgridWebhook } from './sendgrid-webhook';
import { startWebhookReceiver } from '../../test/webhook-receiver';

const KEY = 'SG.webhook-tests.' + 'k'.repeat(40);
const NOW = new Date('2026-11-27T10:00:00Z');
const NOW_S = Math.floor(NOW.getTime() / 1000);

const incoming = (post: SendgridSignedPost): IncomingWebhook => ({
  rawBody: post.rawBody,
  headers: Object.fromEntries(Object.entries(post.headers).map(([k, v]) => [k.toLowerCase(), v])),
});

const target = {
  email: 'Client@Example.com',
  messageId: 'LRzXl_NHStOGhQ4kofSm_A',
  customArgs: { mailroom_email_id: 'em_9', mailroom_tenant_id: 't_9' },
};

describe('verifySendgridWebhook', () => {
  let sg: SendgridEmulator;
  let hook: EmulatedEventWebhook;
  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [KEY] });
    hook = sg.addEventWebhook({ url: 'https://mailroom.example/webhooks/sendgrid/t_9' }, { signed: true });
  });
  afterAll(() => sg.close());

  const batch = () => [sendgridEvents.processed(target), sendgridEvents.delivered(target), sendgridEvents.open(target)];

  it('accepts a genuine post received over HTTP', async () => {
    const receiver = await startWebhookReceiver('/webhooks/sendgrid/t_9');
    const posting = sg.addEventWebhook({ url: receiver.url }, { signed: true });
    try {
      const answer = await sg.postEvents(receiver.url, batch());
      expect(answer.status).toBe(200);
    } finally {
      await receiver.close();
    }
    expect(receiver.posts).toHaveLength(1);
    expect(verifySendgridWebhook(receiver.posts[0], posting.publicKey, new Date())).toEqual({ ok: true });
    expect(verifySendgridWebhook(receiver.posts[0], hook.publicKey, new Date())).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('accepts a post signed as long ago as SendGrid retries (24 h), and refuses one older, or ahead of our clock', () => {
    // A retry that carries its first attempt's timestamp, a day later, is still SendGrid's.
    expect(verifySendgridWebhook(incoming(hook.sign(batch(), { timestamp: NOW_S - 24 * 3600 })), hook.publicKey, NOW).ok).toBe(true);
    const old = verifySendgridWebhook(incoming(hook.sign(batch(), { timestamp: NOW_S - 26 * 3600 })), hook.publicKey, NOW);
    expect(old).toMatchObject({ ok: false, reason: 'stale', message: expect.stringMatching(/s old \(at most 90000 s allowed\)/) });
    expect(verifySendgridWebhook(incoming(hook.sign(batch(), { timestamp: NOW_S + 590 })), hook.publicKey, NOW).ok).toBe(true);
    const future = verifySendgridWebhook(incoming(hook.sign(batch(), { timestamp: NOW_S + 3600 })), hook.publicKey, NOW);
    expect(future).toMatchObject({ ok: false, reason: 'stale', message: expect.stringMatching(/3600 s ahead of our clock/) });
    const tight = verifySendgridWebhook(incoming(hook.sign(batch(), { timestamp: NOW_S - 120 })), hook.publicKey, NOW, 60);
    expect(tight).toMatchObject({ ok: false, reason: 'stale' });
  });

  it('accepts the key pasted with PEM armour and line breaks', () => {
    const pem = `-----BEGIN PUBLIC KEY-----\n${hook.publicKey.match(/.{1,64}/g)!.join('\n')}\n-----END PUBLIC KEY-----\n`;
    expect(verifySendgridWebhook(incoming(hook.sign(batch(), { timestamp: NOW_S })), pem, NOW)).toEqual({ ok: true });
  });

  it('refuses a tampered byte', () => {
    const post = hook.sign(batch(), { tamper: true, timestamp: NOW_S });
    expect(verifySendgridWebhook(incoming(post), hook.publicKey, NOW)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a body re-serialised from its JSON: only the raw bytes verify', () => {
    const post = hook.sign(batch(), { timestamp: NOW_S });
    const reserialised = Buffer.from(JSON.stringify(JSON.parse(post.rawBody.toString('utf8'))));
    expect(verifySendgridWebhook({ ...incoming(post), rawBody: reserialised }, hook.publicKey, NOW)).toMatchObject({
      ok: false,
      reason: 'bad-signature',
    });
  });

  it('refuses a post signed with another key', () => {
    const forger = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).privateKey;
    const post = hook.sign(batch(), { signWith: forger, timestamp: NOW_S });
    expect(verifySendgridWebhook(incoming(post), hook.publicKey, NOW)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('refuses a signature moved to another timestamp', () => {
    const post = incoming(hook.sign(batch(), { timestamp: NOW_S }));
    post.headers['x-twilio-email-event-webhook-timestamp'] = String(NOW_S - 1);
    expect(verifySendgridWebhook(post, hook.publicKey, NOW)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });

  it('tells unsigned, keyless and malformed posts apart', () => {
    expect(verifySendgridWebhook(incoming(hook.sign(batch(), { unsigned: true })), hook.publicKey, NOW)).toMatchObject({
      ok: false,
      reason: 'unsigned',
    });
    const genuine = incoming(hook.sign(batch(), { timestamp: NOW_S }));
    expect(verifySendgridWebhook(genuine, undefined, NOW)).toMatchObject({ ok: false, reason: 'no-key' });
    expect(verifySendgridWebhook(genuine, 'bm90IGEga2V5', NOW)).toMatchObject({ ok: false, reason: 'no-key' });
    const noTimestamp = { ...genuine, headers: { ...genuine.headers, 'x-twilio-email-event-webhook-timestamp': undefined } };
    expect(verifySendgridWebhook(noTimestamp, hook.publicKey, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
    const garbage = { ...genuine, headers: { ...genuine.headers, 'x-twilio-email-event-webhook-signature': '!!not base64 der!!' } };
    expect(verifySendgridWebhook(garbage, hook.publicKey, NOW)).toMatchObject({ ok: false, reason: 'bad-signature' });
  });
});

describe('parseSendgridEvents', () => {
  const at = new Date('2026-11-27T09:30:00Z');
  const body = (events: unknown[]) => Buffer.from(`[${events.map((e) => JSON.stringify(e)).join(',\r\n')}]\r\n`);

  it('maps every SendGrid event type to ours', () => {
    const events = [
      sendgridEvents.processed(target, { at }),
      sendgridEvents.delivered(target, { at }),
      sendgridEvents.deferred(target, { at, response: '421 4.7.0 Try again later' }),
      sendgridEvents.bounce(target, { at, status: '5.1.1', reason: '550 5.1.1 No such user' }),
      sendgridEvents.bounce(target, { at, status: '4.2.2', reason: '452 4.2.2 Mailbox full' }),
      sendgridEvents.bounce(target, { at, type: 'blocked', status: '5.7.1', reason: '554 5.7.1 Blocked by policy' }),
      sendgridEvents.dropped(target, { at, reason: 'Bounced Address', status: '5.0.0' }),
      sendgridEvents.open(target, { at, machine: false, useragent: 'Thunderbird' }),
      sendgridEvents.open(target, { at, machine: true }),
      sendgridEvents.click(target, { at, url: 'https://pay.example/invoice/42' }),
      sendgridEvents.spamreport(target, { at }),
      sendgridEvents.unsubscribe(target, { at }),
      sendgridEvents.groupUnsubscribe(target, { at }),
      sendgridEvents.groupResubscribe(target, { at }),
      { ...sendgridEvents.processed(target, { at }), event: 'brand_new_event' },
    ];
    const parsed = parseSendgridEvents(body(events));
    expect(parsed.map((e) => e.type)).toEqual([
      'accepted',
      'delivered',
      'deferred',
      'bounced',
      'bounced',
      'bounced',
      'dropped',
      'opened',
      'opened',
      'clicked',
      'complained',
      'unsubscribed',
      'unsubscribed',
    ]);
    for (const [i, e] of parsed.entries()) {
      expect(e).toMatchObject({
        emailId: 'em_9',
        tenantId: 't_9',
        recipient: 'client@example.com',
        at: at.toISOString(),
        key: `sendgrid:${events[i].sg_event_id}`,
        providerMessageId: 'LRzXl_NHStOGhQ4kofSm_A',
      });
    }
    expect(new Set(parsed.map((e) => e.key)).size).toBe(parsed.length);
    expect(parsed[1]).toMatchObject({ reason: expect.stringMatching(/^250 /), responseCode: 250, statusCode: '2.0.0' });
    expect(parsed[2]).toMatchObject({ reason: '421 4.7.0 Try again later', responseCode: 421, statusCode: '4.7.0' });
    expect(parsed[3]).toMatchObject({ bounceType: 'hard', responseCode: 550, statusCode: '5.1.1', reason: '550 5.1.1 No such user' });
    expect(parsed[4]).toMatchObject({ bounceType: 'soft', responseCode: 452, statusCode: '4.2.2' });
    expect(parsed[5]).toMatchObject({ bounceType: 'soft', responseCode: 554, statusCode: '5.7.1', reason: '554 5.7.1 Blocked by policy' });
    expect(parsed[6]).toMatchObject({ reason: 'Bounced Address', statusCode: '5.0.0' });
    expect(parsed[7]).toMatchObject({ machine: false, userAgent: 'Thunderbird' });
    expect(parsed[8].machine).toBe(true);
    expect(parsed[9].url).toBe('https://pay.example/invoice/42');
  });

  it('puts the plain reply code in responseCode and only an enhanced code (d.d.d) in statusCode', () => {
    const [delivered, deferred, bare, bareSoft, wordsOnly] = parseSendgridEvents(
      body([
        sendgridEvents.delivered(target, { at, response: '250 OK id=1x2y3z' }),
        sendgridEvents.deferred(target, { at, response: '450 Greylisted, come back later' }),
        // A bounce whose status is a bare reply code, and whose reason has no enhanced code.
        sendgridEvents.bounce(target, { at, status: '550', reason: '550 Requested action not taken: mailbox unavailable' }),
        sendgridEvents.bounce(target, { at, status: '452', reason: '452 Too many recipients received this hour' }),
        { ...sendgridEvents.bounce(target, { at, reason: '421 Service not available, closing channel' }), status: undefined },
      ]),
    );
    expect(delivered).toMatchObject({ type: 'delivered', responseCode: 250 });
    expect(deferred).toMatchObject({ type: 'deferred', responseCode: 450 });
    expect(bare).toMatchObject({ type: 'bounced', bounceType: 'hard', responseCode: 550 });
    // The soft-bounce decision still reads the class of the plain code when there is no enhanced one.
    expect(bareSoft).toMatchObject({ type: 'bounced', bounceType: 'soft', responseCode: 452 });
    expect(wordsOnly).toMatchObject({ type: 'bounced', bounceType: 'soft', responseCode: 421 });
    for (const e of [delivered, deferred, bare, bareSoft, wordsOnly]) expect(e.statusCode).toBeUndefined();
  });

  it('keeps events that are not ours, without an email id', () => {
    const [e] = parseSendgridEvents(body([sendgridEvents.delivered({ email: 'x@y.example' })]));
    expect(e.type).toBe('delivered');
    expect(e.emailId).toBeUndefined();
  });

  it("lets SendGrid's reserved keys win over custom args of the same name", () => {
    const [e] = parseSendgridEvents(body([sendgridEvents.delivered({ ...target, customArgs: { ...target.customArgs, event: 'open' } })]));
    expect(e.type).toBe('delivered');
  });

  it('skips entries that are not events, and refuses a body that is not a JSON array', () => {
    expect(parseSendgridEvents(body([42, null, 'x', { event: 'delivered' }]))).toEqual([]);
    expect(() => parseSendgridEvents(Buffer.from('{"event":"delivered"}'))).toThrow(SendgridWebhookPayloadError);
    expect(() => parseSendgridEvents(Buffer.from('email=a@b.c'))).toThrow(/not JSON/);
  });
});
