import { createPublicKey, verify } from 'node:crypto';
import { SendgridEmulator, startSendgridEmulator } from './sendgrid-emulator';
import { sendgridEvents } from './sendgrid-events';

const KEY = 'SG.emulator-test-key';
const SEND_ONLY_KEY = 'SG.send-only-key';

const validMail = () => ({
  personalizations: [{ to: [{ email: 'rcpt@example.com', name: 'R' }], cc: [{ email: 'cc@example.com' }] }],
  from: { email: 'noreply@tenant.example', name: 'Tenant' },
  subject: 'Invoice 42',
  content: [
    { type: 'text/plain', value: 'plain' },
    { type: 'text/html', value: '<p>html</p>' },
  ],
  attachments: [{ content: Buffer.from('hello').toString('base64'), filename: 'a.txt', type: 'text/plain', disposition: 'attachment' }],
  custom_args: { mailroom_email_id: 'em_1', mailroom_tenant_id: 't_1' },
});

describe('SendGrid emulator', () => {
  let sg: SendgridEmulator;
  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [KEY], mailSendOnlyKeys: [SEND_ONLY_KEY], maxMessageBytes: 64 * 1024 });
  });
  afterAll(() => sg.close());

  const send = (body: unknown, key: string | null = KEY) =>
    fetch(`${sg.url}/v3/mail/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(key ? { authorization: `Bearer ${key}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  it('answers 202 with an X-Message-Id and records the mail with the key used', async () => {
    const res = await send(validMail());
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const id = res.headers.get('x-message-id');
    expect(id).toMatch(/^[\w-]{22}$/);
    const sent = sg.sent.find((s) => s.messageId === id);
    expect(sent?.apiKey).toBe(KEY);
    expect(sent?.body.custom_args).toEqual({ mailroom_email_id: 'em_1', mailroom_tenant_id: 't_1' });
  });

  it("refuses a missing or unknown key with SendGrid's 401 bodies", async () => {
    const unknown = await send(validMail(), 'SG.nope');
    expect(unknown.status).toBe(401);
    expect(await unknown.json()).toEqual({
      errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null, help: null }],
    });
    const missing = await send(validMail(), null);
    expect(missing.status).toBe(401);
  });

  it('validates as SendGrid does', async () => {
    const cases: [unknown, string][] = [
      [{ ...validMail(), personalizations: [{ to: [{ email: 'a@x.com' }], bcc: [{ email: 'A@x.com' }] }] }, 'personalizations.0'],
      [{ ...validMail(), from: undefined }, 'from.email'],
      [{ ...validMail(), personalizations: [] }, 'personalizations'],
      [{ ...validMail(), subject: '' }, 'subject'],
      [{ ...validMail(), content: [{ type: 'text/plain', value: '' }] }, 'content.0.value'],
      [
        {
          ...validMail(),
          content: [
            { type: 'text/html', value: 'h' },
            { type: 'text/plain', value: 'p' },
          ],
        },
        'content',
      ],
      [{ ...validMail(), attachments: [{ filename: 'a.txt' }] }, 'attachments.0.content'],
      [{ ...validMail(), attachments: [{ content: 'aGk=' }] }, 'attachments.0.filename'],
      [{ ...validMail(), custom_args: { mailroom_email_id: 42 } }, 'custom_args.mailroom_email_id'],
      [{ ...validMail(), headers: { To: 'x@y.z' } }, 'headers'],
    ];
    for (const [body, field] of cases) {
      const res = await send(body);
      expect(res.status).toBe(400);
      const { errors } = (await res.json()) as { errors: { field: string | null; message: string }[] };
      expect(errors.map((e) => e.field)).toContain(field);
    }
    const notJson = await send('{nope');
    expect(notJson.status).toBe(400);
  });

  it('answers 413 above the size limit', async () => {
    const big = validMail();
    big.attachments[0].content = Buffer.alloc(80 * 1024, 1).toString('base64');
    const res = await send(big);
    expect(res.status).toBe(413);
    expect(await res.json()).toEqual({ errors: [{ message: 'content too large', field: null, help: null }] });
  });

  it('signs webhook posts over timestamp + the raw CRLF body with a P-256 key it publishes', async () => {
    const target = { email: 'rcpt@example.com', customArgs: { mailroom_email_id: 'em_1' } };
    const post = sg.signEvents([sendgridEvents.processed(target), sendgridEvents.delivered(target)], { timestamp: 1_700_000_000 });
    const text = post.rawBody.toString('utf8');
    expect(text.startsWith('[{')).toBe(true);
    expect(text).toContain('},\r\n{');
    expect(text.endsWith(']\r\n')).toBe(true);
    const events = JSON.parse(text) as Record<string, unknown>[];
    expect(events[0].mailroom_email_id).toBe('em_1');
    expect(events[0].sg_event_id).not.toBe(events[1].sg_event_id);
    const key = createPublicKey({ key: Buffer.from(sg.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const signed = Buffer.concat([Buffer.from('1700000000'), post.rawBody]);
    expect(verify('sha256', signed, key, Buffer.from(post.headers['X-Twilio-Email-Event-Webhook-Signature'], 'base64'))).toBe(true);

    const tampered = sg.signEvents([sendgridEvents.processed(target)], { tamper: true, timestamp: 1_700_000_000 });
    expect(() => JSON.parse(tampered.rawBody.toString('utf8'))).not.toThrow();
    const tamperedSigned = Buffer.concat([Buffer.from('1700000000'), tampered.rawBody]);
    expect(verify('sha256', tamperedSigned, key, Buffer.from(tampered.headers['X-Twilio-Email-Event-Webhook-Signature'], 'base64'))).toBe(
      false,
    );
    expect(sg.signEvents([], { unsigned: true }).headers['X-Twilio-Email-Event-Webhook-Signature']).toBeUndefined();
  });

  it('serves the Event Webhook settings, and refuses a Mail Send-only key', async () => {
    const patch = (path: string, body: unknown, key = KEY) =>
      fetch(`${sg.url}${path}`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    const forbidden = await patch('/v3/user/webhooks/event/settings', { enabled: true, url: 'https://x.example/h' }, SEND_ONLY_KEY);
    expect(forbidden.status).toBe(403);
    const settings = await patch('/v3/user/webhooks/event/settings', { enabled: true, url: 'https://x.example/h', delivered: true });
    expect(settings.status).toBe(200);
    expect(await settings.json()).toMatchObject({ enabled: true, url: 'https://x.example/h', delivered: true, open: false });
    const signed = await patch('/v3/user/webhooks/event/settings/signed', { enabled: true });
    expect(await signed.json()).toEqual({ public_key: sg.publicKey });
    const read = await fetch(`${sg.url}/v3/user/webhooks/event/settings`, { headers: { authorization: `Bearer ${KEY}` } });
    expect(((await read.json()) as { url: string }).url).toBe('https://x.example/h');
  });
});
