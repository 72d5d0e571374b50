import { createPublicKey, verify } from 'node:crypto';
import { SendgridEmulator, startSendgridEmulator } from './sendgrid-emulator';
import { MAX_WEBHOOKS_MESSAGE } from './sendgrid-event-webhooks';
import { sendgridEvents } from './sendgrid-events';

const KEY = 'SG.emulator-test-key';
const SEND_ONLY_KEY = 'SG.send-only-key';
const NO_MAIL_SEND_KEY = 'SG.profile-read-only-key';

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
    sg = await startSendgridEmulator({
      apiKeys: [KEY],
      mailSendOnlyKeys: [SEND_ONLY_KEY],
      keysWithoutMailSend: [NO_MAIL_SEND_KEY],
      maxMessageBytes: 64 * 1024,
    });
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

  it("answers GET /v3/scopes with the calling key's scopes, and a send with a key without mail.send with 403", async () => {
    const scopesOf = async (key: string) => {
      const res = await fetch(`${sg.url}/v3/scopes`, { headers: { authorization: `Bearer ${key}` } });
      return [res.status, ((await res.json()) as { scopes?: string[] }).scopes?.includes('mail.send')];
    };
    expect(await scopesOf(KEY)).toEqual([200, true]);
    expect(await scopesOf(SEND_ONLY_KEY)).toEqual([200, true]);
    expect(await scopesOf(NO_MAIL_SEND_KEY)).toEqual([200, false]);
    expect((await scopesOf('SG.nope'))[0]).toBe(401);
    const before = sg.sent.length;
    const refused = await send(validMail(), NO_MAIL_SEND_KEY);
    expect(refused.status).toBe(403);
    expect(await refused.json()).toEqual({ errors: [{ message: 'access forbidden', field: null, help: null }] });
    expect(sg.sent).toHaveLength(before);
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

  it("signs each webhook's posts over timestamp + the raw CRLF body with that webhook's own P-256 key", async () => {
    const hook = sg.addEventWebhook({ url: 'https://signing.example/h' }, { signed: true });
    const target = { email: 'rcpt@example.com', customArgs: { mailroom_email_id: 'em_1' } };
    const post = hook.sign([sendgridEvents.processed(target), sendgridEvents.delivered(target)], { timestamp: 1_700_000_000 });
    const text = post.rawBody.toString('utf8');
    expect(text.startsWith('[{')).toBe(true);
    expect(text).toContain('},\r\n{');
    expect(text.endsWith(']\r\n')).toBe(true);
    const events = JSON.parse(text) as Record<string, unknown>[];
    expect(events[0].mailroom_email_id).toBe('em_1');
    expect(events[0].sg_event_id).not.toBe(events[1].sg_event_id);
    const key = createPublicKey({ key: Buffer.from(hook.publicKey, 'base64'), format: 'der', type: 'spki' });
    expect(key.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
    const signed = Buffer.concat([Buffer.from('1700000000'), post.rawBody]);
    expect(verify('sha256', signed, key, Buffer.from(post.headers['X-Twilio-Email-Event-Webhook-Signature'], 'base64'))).toBe(true);

    const tampered = hook.sign([sendgridEvents.processed(target)], { tamper: true, timestamp: 1_700_000_000 });
    expect(() => JSON.parse(tampered.rawBody.toString('utf8'))).not.toThrow();
    const tamperedSigned = Buffer.concat([Buffer.from('1700000000'), tampered.rawBody]);
    expect(verify('sha256', tamperedSigned, key, Buffer.from(tampered.headers['X-Twilio-Email-Event-Webhook-Signature'], 'base64'))).toBe(
      false,
    );
    expect(hook.sign([], { unsigned: true }).headers['X-Twilio-Email-Event-Webhook-Signature']).toBeUndefined();
    const other = sg.addEventWebhook({ url: 'https://signing.example/other' }, { signed: true });
    expect(other.publicKey).not.toBe(hook.publicKey);
    const unsignedHook = sg.addEventWebhook({ url: 'https://signing.example/unsigned' });
    expect(unsignedHook.sign([sendgridEvents.processed(target)]).headers['X-Twilio-Email-Event-Webhook-Signature']).toBeUndefined();
  });
});

describe('SendGrid emulator: multiple Event Webhooks per account', () => {
  let sg: SendgridEmulator;
  const OTHER = 'SG.other-account-key';
  beforeAll(async () => {
    sg = await startSendgridEmulator({
      apiKeys: [KEY, OTHER],
      mailSendOnlyKeys: [SEND_ONLY_KEY],
      accountOf: (k) => (k === OTHER ? 'other' : 'main'),
      maxWebhooks: 3,
    });
  });
  afterAll(() => sg.close());
  const call = async (method: string, path: string, body?: unknown, key = KEY) => {
    const res = await fetch(`${sg.url}${path}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: res.status, body: (await res.json()) as any };
  };
  const BASE = '/v3/user/webhooks/event/settings';

  it('creates, lists, reads and updates webhooks by id, each signed with its own key', async () => {
    expect((await call('GET', `${BASE}/all`)).body).toEqual({ max_allowed: 3, webhooks: [{}] });
    expect((await call('POST', BASE, { url: 'https://a.example/h' }, SEND_ONLY_KEY)).status).toBe(403);
    const a = await call('POST', BASE, { enabled: true, url: 'https://a.example/h', delivered: true, friendly_name: 'A' });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({
      id: expect.any(String),
      url: 'https://a.example/h',
      enabled: true,
      delivered: true,
      open: false,
      created_date: expect.any(String),
    });
    expect(a.body.public_key).toBeUndefined();
    const b = (await call('POST', BASE, { enabled: true, url: 'https://b.example/h' })).body;
    const signedA = await call('PATCH', `${BASE}/signed/${a.body.id}`, { enabled: true });
    const signedB = await call('PATCH', `${BASE}/signed/${b.id}`, { enabled: true });
    expect(signedA.body).toEqual({ id: a.body.id, public_key: expect.stringMatching(/^MFkw/) });
    expect(signedB.body.public_key).not.toBe(signedA.body.public_key);
    expect((await call('GET', `${BASE}/signed/${a.body.id}`)).body).toEqual(signedA.body);

    const all = (await call('GET', `${BASE}/all`)).body;
    expect(all.webhooks.map((w: any) => [w.url, w.public_key])).toEqual([
      ['https://a.example/h', signedA.body.public_key],
      ['https://b.example/h', signedB.body.public_key],
    ]);
    const patched = await call('PATCH', `${BASE}/${b.id}`, { open: true });
    expect(patched.body).toMatchObject({ id: b.id, url: 'https://b.example/h', open: true });
    expect((await call('GET', `${BASE}/${a.body.id}`)).body).toMatchObject({ open: false, public_key: signedA.body.public_key });
    expect((await call('GET', `${BASE}/nope`)).status).toBe(404);
    expect((await call('PATCH', `${BASE}/signed/nope`, { enabled: true })).body).toEqual({ errors: [{ message: 'Invalid id provided.' }] });
    // Another account sees none of them.
    expect((await call('GET', `${BASE}/all`, undefined, OTHER)).body.webhooks).toEqual([{}]);
  });

  it("refuses a URL the account already uses, a bad URL, and one webhook over the account's limit", async () => {
    const taken = await call('POST', BASE, { url: 'https://a.example/h' });
    expect(taken.status).toBe(400);
    expect(taken.body.errors[0]).toMatchObject({
      message: "Webhook at 'https://a.example/h' already exists. Please provide a unique URL.",
      url: 'https://a.example/h',
      id: sg.eventWebhooks('main')[0].id,
    });
    expect((await call('POST', BASE, { url: 'not a url' })).body).toEqual({ errors: [{ message: "'not a url' is not a valid url" }] });
    expect((await call('POST', BASE, { url: 'https://c.example/h' })).status).toBe(201);
    const over = await call('POST', BASE, { url: 'https://d.example/h' });
    expect(over).toEqual({ status: 400, body: { errors: [{ message: MAX_WEBHOOKS_MESSAGE }] } });
    expect((await call('POST', BASE, { url: 'https://d.example/h' }, OTHER)).status).toBe(201);
  });

  it('the legacy endpoints act on the oldest webhook, as SendGrid documents', async () => {
    const oldest = sg.eventWebhooks('main')[0];
    const legacy = await call('PATCH', BASE, { enabled: true, url: 'https://overwritten.example/h' });
    expect(legacy.body).toMatchObject({ id: oldest.id, url: 'https://overwritten.example/h' });
    expect((await call('GET', `${BASE}/signed`)).body).toEqual({ id: oldest.id, public_key: oldest.publicKey });
  });

  it('posts events to a webhook URL signed with that webhook key, and nowhere else', async () => {
    const receiver = sg.eventWebhooks('other')[0];
    await expect(sg.postEvents('https://nobody.example/h', [])).rejects.toThrow(/no enabled Event Webhook/);
    expect(receiver.settings.url).toBe('https://d.example/h');
  });
});
