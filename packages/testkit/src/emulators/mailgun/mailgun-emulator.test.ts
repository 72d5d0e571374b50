import { createHmac } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { addressesIn, MailgunEmulator, startMailgunEmulator } from './mailgun-emulator';
import { mailgunEvents } from './mailgun-events';
import { formValue, formValues } from './parse-mailgun-form';

const KEY = 'key-' + 'a'.repeat(32);
const DOMAIN = 'mg.tenant.example';
const auth = (key: string, user = 'api') => `Basic ${Buffer.from(`${user}:${key}`).toString('base64')}`;

describe('Mailgun emulator (raw HTTP, as any client would see it)', () => {
  let mg: MailgunEmulator;
  const post = (path: string, body: FormData | URLSearchParams, key = KEY, user = 'api') =>
    fetch(`${mg.url}${path}`, { method: 'POST', headers: { authorization: auth(key, user) }, body });
  const baseForm = () => {
    const f = new FormData();
    f.append('from', 'Tenant <billing@mg.tenant.example>');
    f.append('to', 'a@example.com');
    f.append('to', '"Doe, Jane" <jane@example.com>, b@example.com');
    f.append('subject', 'Hi');
    f.append('text', 'plain');
    return f;
  };

  beforeAll(async () => {
    mg = await startMailgunEmulator({ region: 'eu', keys: [KEY], domains: [DOMAIN] });
  });
  afterAll(() => mg.close());

  it('answers 401 text/plain "Forbidden" to a wrong key, a missing header or a user other than api', async () => {
    for (const res of [
      await post(`/v3/${DOMAIN}/messages`, baseForm(), 'key-wrong'),
      await fetch(`${mg.url}/v3/${DOMAIN}/messages`, { method: 'POST', body: baseForm() }),
      await post(`/v3/${DOMAIN}/messages`, baseForm(), KEY, 'admin'),
    ]) {
      expect(res.status).toBe(401);
      expect(res.headers.get('content-type')).toMatch(/^text\/plain/);
      expect(await res.text()).toBe('Forbidden');
    }
    expect(mg.sent).toHaveLength(0);
  });

  it('answers 404 for a domain that is not in the account', async () => {
    const res = await post('/v3/mg.other.example/messages', baseForm());
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ message: 'Domain not found: mg.other.example' });
  });

  it("answers Mailgun's 400 words for a missing recipient and for a bad yes/no option", async () => {
    const noTo = new FormData();
    noTo.append('from', 'billing@mg.tenant.example');
    noTo.append('text', 'x');
    const res = await post(`/v3/${DOMAIN}/messages`, noTo);
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ message: "Missing parameter 'to'." });
    const badOption = baseForm();
    badOption.append('o:tracking-opens', 'true-ish');
    expect((await post(`/v3/${DOMAIN}/messages`, badOption)).status).toBe(400);
  });

  it('keeps repeated fields and file bytes, honours h:Message-Id, and answers a bracketed id', async () => {
    const form = baseForm();
    form.append('o:tag', 'invoice');
    form.append('o:tag', 'F-1');
    form.append('h:Message-Id', '<custom-1@mailroom.example>');
    form.append('attachment', new Blob([Buffer.from([0, 255, 1, 254])], { type: 'application/pdf' }), 'F-1.pdf');
    const res = await post(`/v3/${DOMAIN}/messages`, form);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: '<custom-1@mailroom.example>', message: 'Queued. Thank you.' });
    const sent = mg.sent[mg.sent.length - 1];
    expect(sent).toMatchObject({ domain: DOMAIN, apiKey: KEY });
    expect(formValues(sent, 'o:tag')).toEqual(['invoice', 'F-1']);
    expect(formValues(sent, 'to')).toEqual(['a@example.com', '"Doe, Jane" <jane@example.com>, b@example.com']);
    expect(sent.files).toHaveLength(1);
    expect(sent.files[0]).toMatchObject({ field: 'attachment', filename: 'F-1.pdf', contentType: 'application/pdf' });
    expect([...sent.files[0].data]).toEqual([0, 255, 1, 254]);
    expect(mg.targetsOf(sent).map((t) => t.recipient)).toEqual(['a@example.com', 'jane@example.com', 'b@example.com']);

    const plain = await post(`/v3/${DOMAIN}/messages`, baseForm());
    expect(((await plain.json()) as { id: string }).id).toMatch(/^<\d{14}\.\d+\.[0-9A-F]{16}@mg\.tenant\.example>$/);
  });

  it('keeps domain webhooks: create, 400 when the name is taken, update, list, delete', async () => {
    const path = `/v3/domains/${DOMAIN}/webhooks`;
    const create = new URLSearchParams([
      ['id', 'delivered'],
      ['url', 'https://a.example/h'],
    ]);
    expect(await (await post(path, create)).json()).toEqual({
      message: 'Webhook has been created',
      webhook: { urls: ['https://a.example/h'] },
    });
    const again = await post(path, create);
    expect(again.status).toBe(400);
    expect(await again.json()).toEqual({ message: 'Webhook already exists' });
    const put = await fetch(`${mg.url}${path}/delivered`, {
      method: 'PUT',
      headers: { authorization: auth(KEY) },
      body: new URLSearchParams([
        ['url', 'https://a.example/h'],
        ['url', 'https://b.example/h'],
      ]),
    });
    expect(((await put.json()) as { webhook: { urls: string[] } }).webhook.urls).toEqual(['https://a.example/h', 'https://b.example/h']);
    const list = await fetch(`${mg.url}${path}`, { headers: { authorization: auth(KEY) } });
    expect(await list.json()).toEqual({ webhooks: { delivered: { urls: ['https://a.example/h', 'https://b.example/h'] } } });
    await fetch(`${mg.url}${path}/delivered`, { method: 'DELETE', headers: { authorization: auth(KEY) } });
    expect(mg.webhooksOf(DOMAIN)).toEqual({});
  });

  it("serves the account's signing key, and posts events signed with it exactly as Mailgun signs them", async () => {
    const res = await fetch(`${mg.url}/v5/accounts/http_signing_key`, { headers: { authorization: auth(KEY) } });
    expect(((await res.json()) as { http_signing_key: string }).http_signing_key).toBe(mg.signingKey);

    let received: Buffer | undefined;
    let contentType: string | undefined;
    const receiver = http.createServer((req, res2) => {
      const chunks: Buffer[] = [];
      contentType = req.headers['content-type'];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received = Buffer.concat(chunks);
        res2.end('ok');
      });
    });
    await new Promise<void>((r) => receiver.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;
      const event = mailgunEvents.delivered({
        recipient: 'a@example.com',
        messageId: '<m1@mg.tenant.example>',
        userVariables: { mailroom_email_id: 'em_1' },
      });
      const answer = await mg.postEvent(url, event);
      expect(answer.status).toBe(200);
      expect(contentType).toBe('application/json');
      const body = JSON.parse(received!.toString('utf8'));
      expect(body['event-data']).toEqual(event);
      expect(body['event-data'].message.headers['message-id']).toBe('m1@mg.tenant.example');
      expect(body['event-data']['user-variables']).toEqual({ mailroom_email_id: 'em_1' });
      const { timestamp, token, signature } = body.signature;
      expect(token).toMatch(/^[0-9a-f]{50}$/);
      expect(Math.abs(Number(timestamp) - Date.now() / 1000)).toBeLessThan(5);
      expect(signature).toBe(
        createHmac('sha256', mg.signingKey)
          .update(timestamp + token)
          .digest('hex'),
      );
    } finally {
      await new Promise<void>((r) => receiver.close(() => r()));
    }
  });

  it('reads address lists the way Mailgun does', () => {
    expect(addressesIn('"Doe, Jane" <Jane@Example.com>, b@example.com,c@example.com')).toEqual([
      'jane@example.com',
      'b@example.com',
      'c@example.com',
    ]);
    expect(
      formValue(
        {
          fields: [
            ['a', '1'],
            ['a', '2'],
          ],
        },
        'a',
      ),
    ).toBe('1');
  });
});
