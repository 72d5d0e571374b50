import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { MailjetEmulator, startMailjetEmulator } from './mailjet-emulator';
import { mailjetEvents, mailjetEventTargets, postEvents } from './mailjet-events';

const KEY = { public: 'pub-key', private: 'priv-key' };
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;

/** A raw HTTPS call (trusting the test CA through NODE_EXTRA_CA_CERTS): the answer's exact text. */
function call(mj: MailjetEmulator, body: unknown, opts: { auth?: string; path?: string } = {}): Promise<{ status: number; text: string }> {
  const payload = typeof body === 'string' ? body : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const req = https.request(
      {
        host: '127.0.0.1',
        port: mj.port,
        method: 'POST',
        path: opts.path ?? '/v3.1/send',
        headers: { 'content-type': 'application/json', authorization: opts.auth ?? basic(KEY.public, KEY.private) },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const message = (overrides: Record<string, unknown> = {}) => ({
  From: { Email: 'billing@tenant.example', Name: 'Tenant' },
  To: [{ Email: 'client@example.com' }, { Email: 'second@example.com' }],
  Subject: 'Invoice',
  TextPart: 'hello',
  CustomID: 'em_01',
  EventPayload: '{"emailId":"em_01","tenantId":"t_1"}',
  ...overrides,
});

describe('Mailjet emulator', () => {
  let mj: MailjetEmulator;
  beforeAll(async () => {
    mj = await startMailjetEmulator({ keys: [KEY], validatedSenders: ['billing@tenant.example'], maxAttachmentBytes: 1024 });
  });
  afterAll(() => mj.close());

  it('answers with raw bigint MessageIDs in the JSON text and records what it accepted', async () => {
    const res = await call(mj, { Messages: [message()] });
    expect(res.status).toBe(200);
    const [first, second] = mj.sent[mj.sent.length - 1].recipients;
    expect(res.text).toContain(`"MessageID":${first.messageID},`);
    expect(res.text).toContain(`"MessageID":${second.messageID},`);
    expect(res.text).toContain(`"MessageHref":"https://api.mailjet.com/v3/REST/message/${first.messageID}"`);
    expect(res.text).toContain(`"MessageUUID":"${first.messageUUID}"`);
    expect(BigInt(second.messageID)).toBe(BigInt(first.messageID) + 1n);
    expect(BigInt(first.messageID) > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    expect(JSON.parse(res.text).Messages[0]).toMatchObject({ Status: 'success', CustomID: 'em_01' });
    expect(mj.sent[mj.sent.length - 1]).toMatchObject({ publicKey: KEY.public, sandbox: false, message: { CustomID: 'em_01' } });
  });

  it('checks the key pair exactly and answers 401 mj-0015', async () => {
    for (const auth of [basic(KEY.public, 'priv-ke'), basic('pub-key ', KEY.private), 'Bearer x', '']) {
      const res = await call(mj, { Messages: [message()] }, { auth });
      expect(res.status).toBe(401);
      expect(JSON.parse(res.text)).toMatchObject({ ErrorCode: 'mj-0015', StatusCode: 401 });
    }
  });

  it('answers malformed JSON with the global mj-0002 error', async () => {
    const res = await call(mj, '{"Messages": [');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.text)).toMatchObject({ ErrorCode: 'mj-0002', StatusCode: 400 });
  });

  it('validates each message: a bulk send mixes success and error items (400) and still sends the valid one', async () => {
    const before = mj.sent.length;
    const res = await call(mj, { Messages: [message({ TextPart: undefined, CustomID: 'bad' }), message({ CustomID: 'good' })] });
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.Messages[0]).toMatchObject({ Status: 'error', Errors: [{ ErrorCode: 'send-0003', StatusCode: 400 }] });
    expect(body.Messages[1]).toMatchObject({ Status: 'success', CustomID: 'good' });
    expect(mj.sent.slice(before).map((s) => s.message.CustomID)).toEqual(['good']);
  });

  it('refuses an unvalidated sender (403 send-0008), forbidden headers (send-0011), a long subject, a missing To', async () => {
    const sender = await call(mj, { Messages: [message({ From: { Email: 'other@elsewhere.example' } })] });
    expect(sender.status).toBe(403);
    expect(JSON.parse(sender.text).Messages[0].Errors[0]).toMatchObject({ ErrorCode: 'send-0008', ErrorRelatedTo: ['From'] });
    const header = await call(mj, { Messages: [message({ Headers: { 'Message-ID': '<x@y>' } })] });
    expect(JSON.parse(header.text).Messages[0].Errors[0].ErrorCode).toBe('send-0011');
    const subject = await call(mj, { Messages: [message({ Subject: 's'.repeat(256) })] });
    expect(JSON.parse(subject.text).Messages[0].Errors[0].ErrorRelatedTo).toEqual(['Subject']);
    const noTo = await call(mj, { Messages: [message({ To: undefined })] });
    expect(JSON.parse(noTo.text).Messages[0].Errors[0]).toMatchObject({ ErrorCode: 'mj-0005', ErrorRelatedTo: ['To'] });
  });

  it('refuses attachments above the size limit with mj-0011 (413)', async () => {
    const big = Buffer.alloc(2048, 1).toString('base64');
    const res = await call(mj, {
      Messages: [message({ Attachments: [{ ContentType: 'application/pdf', Filename: 'a.pdf', Base64Content: big }] })],
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toMatchObject({ ErrorCode: 'mj-0011' });
  });

  it('answers sandbox sends with an empty MessageUUID and MessageID 0', async () => {
    const res = await call(mj, { SandboxMode: true, Messages: [message()] });
    expect(res.text).toContain('"MessageUUID":"","MessageID":0,');
  });

  it('splits a message naming a refused recipient into an error item and a success item', async () => {
    mj.refuseRecipient('second@example.com');
    const res = await call(mj, { Messages: [message()] });
    mj.clearRefusals();
    expect(res.status).toBe(400);
    const body = JSON.parse(res.text);
    expect(body.Messages.map((m: { Status: string }) => m.Status)).toEqual(['error', 'success']);
    expect(body.Messages[1].To.map((t: { Email: string }) => t.Email)).toEqual(['client@example.com']);
  });

  it('accepts the absolute-form request line a proxy would send', async () => {
    const res = await call(mj, { Messages: [message()] }, { path: 'https://api.mailjet.com/v3.1/send' });
    expect(res.status).toBe(200);
    expect(mj.requests[mj.requests.length - 1].path).toBe('/v3.1/send');
  });

  it('posts events one bare object per POST, or grouped, with raw bigint MessageIDs and the URL credentials as Basic', async () => {
    const posts: { auth?: string; body: string; url?: string }[] = [];
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString()));
      req.on('end', () => {
        posts.push({ auth: req.headers.authorization, body, url: req.url });
        res.writeHead(200).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://hook-user:hook-pass@127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/mailjet/t_1`;
    try {
      await call(mj, { Messages: [message()] });
      const targets = mailjetEventTargets(mj.sent[mj.sent.length - 1]);
      await postEvents(
        url,
        targets.map((t) => mailjetEvents.sent(t)),
      );
      await postEvents(url, [mailjetEvents.open(targets[0]), mailjetEvents.click(targets[0], { url: 'https://x.example' })], {
        grouped: true,
      });
    } finally {
      await new Promise((r) => server.close(r));
    }
    expect(posts).toHaveLength(3);
    expect(posts.every((p) => p.auth === basic('hook-user', 'hook-pass') && p.url === '/webhooks/mailjet/t_1')).toBe(true);
    expect(posts[0].body.startsWith('{')).toBe(true);
    expect(posts[2].body.startsWith('[')).toBe(true);
    const sent = mj.sent[mj.sent.length - 1];
    expect(posts[0].body).toContain(`"MessageID":${sent.recipients[0].messageID},`);
    expect(posts[0].body).toContain(`"Message_GUID":"${sent.recipients[0].messageUUID}"`);
    expect(JSON.parse(posts[0].body)).toMatchObject({
      event: 'sent',
      CustomID: 'em_01',
      Payload: '{"emailId":"em_01","tenantId":"t_1"}',
      mj_message_id: sent.recipients[0].messageID,
    });
  });
});
