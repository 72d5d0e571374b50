import { randomBytes } from 'node:crypto';
import { CallbackReceiver, mailjetEvents, mailjetEventTargets, MailjetEmulator, postEvents, startMailjetEmulator } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitFor, waitForEmail } from './support/mailroom-harness';
import { startCallbackReceiver } from './support/callback-bodies';

const PAIR = { public: 'mj-public-tenant-0001', private: 'mj-private-tenant-0001' };
const SECRET = `whsec_${randomBytes(24).toString('base64')}`;

/** The front door, for Mailjet: keys saved, callbacks registered with generated Basic credentials, bigint ids intact. */
describe('a tenant on its own Mailjet account', () => {
  let m: Mailroom;
  let mj: MailjetEmulator;
  let platform: CallbackReceiver;
  beforeAll(async () => {
    mj = await startMailjetEmulator({ keys: [PAIR], validatedSenders: ['billing@mj.example'] });
    platform = await startCallbackReceiver([SECRET]);
    m = await startMailroom({ MAILJET_API_URL: mj.url, CALLBACK_URL: platform.url, CALLBACK_SECRETS: SECRET });
    await m.call('PUT', '/v1/tenants/mj', { name: 'MJ', plan: 'basic' });
  });
  afterAll(async () => {
    await m.stop();
    await mj.close();
    await platform.close();
  });

  const save = (provider: Record<string, unknown>) =>
    m.call('PUT', '/v1/tenants/mj/email-settings', {
      mode: 'provider',
      senderName: 'MJ Billing',
      replyTo: 'billing@mj.example',
      provider: { name: 'mailjet', fromAddress: 'billing@mj.example', ...provider },
    });

  it('needs the public key as well as the private one, and refuses region/domain', async () => {
    expect((await save({ privateApiKey: PAIR.private })).body.error.message).toMatch(/publicApiKey/);
    expect((await save({ privateApiKey: PAIR.private, publicApiKey: PAIR.public, region: 'eu' })).status).toBe(400);
  });

  it('registers one callback per event type with credentials Mailroom generated, and verifies them on arrival', async () => {
    const r = await save({ privateApiKey: PAIR.private, publicApiKey: PAIR.public });
    expect(r.status).toBe(200);
    expect(r.body.provider).toMatchObject({ name: 'mailjet', hasPrivateApiKey: true, hasPublicApiKey: true });
    expect(r.body.webhook).toMatchObject({ registered: true, url: `${m.webhooks.url}/webhooks/mailjet/mj` });
    expect(mj.callbacks.map((c) => c.EventType).sort()).toEqual(['blocked', 'bounce', 'click', 'open', 'sent', 'spam', 'unsub']);
    expect(new URL(mj.callbacks[0].Url).username).toBeTruthy();

    const id = (
      await m.call('POST', '/v1/tenants/mj/emails', {
        to: ['client@customer.example'],
        subject: 'Invoice MJ-1',
        html: '<p>hi</p>',
        attachments: [{ filename: 'MJ-1.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
      })
    ).body.id;
    const sent = await waitForEmail(m, 'mj', id, SETTLED);
    expect(sent.status).toBe('accepted');
    const message = mj.sent.find((s) => s.message.CustomID === id)!;
    expect(message.publicKey).toBe(PAIR.public);
    expect(Buffer.from(message.message.Attachments![0].Base64Content, 'base64').equals(INVOICE_PDF)).toBe(true);

    const [target] = mailjetEventTargets(message);
    const callbackUrl = mj.callbacks.find((c) => c.EventType === 'sent')!.Url;
    const grouped = await postEvents(callbackUrl, [mailjetEvents.sent(target), mailjetEvents.open(target)], { grouped: true });
    expect(grouped.map((p) => p.status)).toEqual([200]);
    expect(grouped[0].rawBody).toContain(`"MessageID":${target.messageId}`);
    const single = await postEvents(callbackUrl, [mailjetEvents.bounce({ ...target, email: 'nobody@customer.example' })]);
    expect(single.map((p) => p.status)).toEqual([200]); // acknowledged: not a recipient of this email, so not its history
    const email = await waitForEmail(m, 'mj', id, (e) => e.status === 'opened');
    expect(
      email.events
        .filter((e: any) => e.source === 'mailjet')
        .map((e: any) => e.type)
        .sort(),
    ).toEqual(['delivered', 'opened']);
    // smtp_reply "sent (250 2.0.0 OK ...)": the enhanced code on the delivery (the reply code is the
    // recipient's while it is delivered: the parser's tests; the open moved it on without that reply).
    expect(email.events.find((e: any) => e.type === 'delivered' && e.source === 'mailjet')).toMatchObject({ statusCode: '2.0.0' });
    expect(email.recipients[0]).not.toHaveProperty('responseCode');

    const wrong = await postEvents(callbackUrl, [mailjetEvents.spam(target)], {
      credentials: { user: new URL(callbackUrl).username, password: 'guess' },
    });
    const none = await fetch(`${m.webhooks.url}/webhooks/mailjet/mj`, {
      method: 'POST',
      body: '{}',
      headers: { 'content-type': 'application/json' },
    });
    expect([wrong[0].status, none.status]).toEqual([401, 401]);
    expect((await m.call('GET', `/v1/tenants/mj/emails/${id}`)).body.status).toBe('opened');
  });

  it('a recipient Mailjet refuses in a mixed answer (its HTTP 400, not an SMTP 4xx) fails at once and is not sent again', async () => {
    mj.refuseRecipient('excluded@customer.example');
    const id = (
      await m.call('POST', '/v1/tenants/mj/emails', {
        to: ['client@customer.example', 'excluded@customer.example'],
        subject: 'MJ-2',
        text: 't',
      })
    ).body.id;
    const email = await waitForEmail(m, 'mj', id, SETTLED);
    expect(email.status).toBe('accepted');
    expect(email.attempts).toHaveLength(1);
    const excluded = email.recipients.find((r: any) => r.email === 'excluded@customer.example');
    expect(excluded).toMatchObject({ status: 'failed', responseCode: 400, reason: expect.stringContaining('exclusion list') });
    expect(excluded.nextAttemptAt).toBeUndefined();
    await new Promise((r) => setTimeout(r, 500));
    expect(mj.sent.filter((s) => s.message.CustomID === id)).toHaveLength(1);
  });

  it('a sender Mailjet refuses fails at once with the hint, and the platform is told it is the sender, not the key', async () => {
    await m.call('PUT', '/v1/tenants/mj-unvalidated', { name: 'MJ2', plan: 'basic' });
    await m.call('PUT', '/v1/tenants/mj-unvalidated/email-settings', {
      mode: 'provider',
      senderName: 'X',
      provider: { name: 'mailjet', fromAddress: 'someone@elsewhere.example', privateApiKey: PAIR.private, publicApiKey: PAIR.public },
    });
    const id = (await m.call('POST', '/v1/tenants/mj-unvalidated/emails', { to: ['c@customer.example'], subject: 's', text: 't' })).body.id;
    const email = await waitForEmail(m, 'mj-unvalidated', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts[0]).toMatchObject({ code: 'sender_not_verified', responseCode: 403, hint: expect.stringMatching(/validate/i) });
    const told = await waitFor(
      async () => platform.delivered().find((c) => c.payload.type === 'settings.failing' && c.payload.data.tenantId === 'mj-unvalidated'),
      'the settings.failing callback',
    );
    expect(told.payload.data).toMatchObject({
      reason: 'provider_sender_rejected',
      mode: 'provider',
      provider: 'mailjet',
      reply: { code: 'sender_not_verified' },
    });
  });
});
