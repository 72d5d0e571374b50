import { randomBytes } from 'node:crypto';
import sgMail from '@sendgrid/mail';
// The testkit is a sibling workspace package that transports does not depend on at run time.
import { SendgridEmulator, startSendgridEmulator } from '../../../testkit/src/emulators/sendgrid';
import { refusingPort } from '../../../testkit/src/smtp/dead-end-servers';
import type { OutgoingMessage } from '../transport';
import { SendgridTransport } from './sendgrid-transport';
import { failureOf, invoiceMessage, twoTenantInvoices } from '../../test/outgoing-message.fixture';

const KEY_A = 'SG.tenant-a.' + 'a'.repeat(40);
const KEY_B = 'SG.tenant-b.' + 'b'.repeat(40);
const SEND_ONLY = 'SG.send-only.' + 'c'.repeat(40);

const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage =>
  invoiceMessage({ replyTo: { email: 'support@tenant-a.example' }, ...overrides });

describe('SendgridTransport against the SendGrid emulator', () => {
  let sg: SendgridEmulator;
  const transport = (apiKey = KEY_A, timeoutMs = 5000) => new SendgridTransport({ apiKey, baseUrl: sg.url, timeoutMs });

  beforeAll(async () => {
    sg = await startSendgridEmulator({ apiKeys: [KEY_A, KEY_B], mailSendOnlyKeys: [SEND_ONLY], maxMessageBytes: 256 * 1024 });
  });
  afterAll(() => sg.close());

  it("sends the whole email and returns SendGrid's message id", async () => {
    const pdf = randomBytes(4096); // every byte value, not just text
    const result = await transport().send(
      message({
        cc: [{ email: 'CLIENT@example.com' }, { email: 'accounting@example.com' }],
        bcc: [{ email: 'accounting@example.com' }, { email: 'archive@tenant-a.example' }],
        attachments: [{ filename: 'F-2026-001.pdf', contentType: 'application/pdf', content: pdf }],
      }),
    );
    const sent = sg.sent.find((s) => s.messageId === result.providerMessageId);
    expect(sent).toBeDefined();
    const body = sent!.body;
    expect(sent!.apiKey).toBe(KEY_A);
    expect(body.from).toEqual({ email: 'billing@tenant-a.example', name: 'Tenant A' });
    expect(body.reply_to).toEqual({ email: 'support@tenant-a.example' });
    // each address once across to/cc/bcc, where it first appears
    expect(body.personalizations).toEqual([
      {
        to: [{ email: 'client@example.com', name: 'Client' }],
        cc: [{ email: 'accounting@example.com' }],
        bcc: [{ email: 'archive@tenant-a.example' }],
      },
    ]);
    expect(body.subject).toBe('Invoice F-2026-001');
    expect(body.content).toEqual([
      { type: 'text/plain', value: 'Please find your invoice attached.' },
      { type: 'text/html', value: '<p>Please find your invoice attached.</p>' },
    ]);
    expect(body.attachments).toHaveLength(1);
    expect(body.attachments![0]).toMatchObject({ filename: 'F-2026-001.pdf', type: 'application/pdf', disposition: 'attachment' });
    expect(Buffer.from(body.attachments![0].content, 'base64').equals(pdf)).toBe(true);
    expect(body.custom_args).toEqual({ mailroom_email_id: 'em_01', mailroom_tenant_id: 't_a' });
    expect(body.headers).toEqual({ 'X-Mailroom-Email-Id': 'em_01', 'Message-ID': '<em_01@mailroom.example>' });
    expect(body.tracking_settings).toEqual({ open_tracking: { enable: true } });

    expect(result.messageId).toBe('<em_01@mailroom.example>');
    expect(result.recipients.map((r) => [r.email, r.accepted])).toEqual([
      ['client@example.com', true],
      ['accounting@example.com', true],
      ['archive@tenant-a.example', true],
    ]);
  });

  it('turns open tracking off when asked', async () => {
    const result = await transport().send(message({ trackOpens: false, html: undefined }));
    const sent = sg.sent.find((s) => s.messageId === result.providerMessageId)!;
    expect(sent.body.tracking_settings).toEqual({ open_tracking: { enable: false } });
    expect(sent.body.content).toEqual([{ type: 'text/plain', value: 'Please find your invoice attached.' }]);
  });

  it("refuses a bad key for good, with a hint and SendGrid's words, and never the key", async () => {
    const badKey = 'SG.revoked.' + 'z'.repeat(40);
    const err = await failureOf(transport(badKey).send(message()));
    expect(err.retryable).toBe(false);
    expect(err.code).toBe('http_401');
    expect(err.responseCode).toBe(401);
    expect(err.response).toBe('The provided authorization grant is invalid, expired, or revoked');
    expect(err.hint).toMatch(/SendGrid rejected the API key: create a key with Mail Send permission/);
    const everything = JSON.stringify({ ...err, message: err.message, stack: err.stack, cause: String(err.cause) });
    expect(everything).not.toContain(badKey);
    expect(everything).not.toContain('revoked.zzz');
  });

  it('retries a 429 after the Retry-After SendGrid gives', async () => {
    sg.injectFault({
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { errors: [{ message: 'too many requests', field: null }] },
    });
    const err = await failureOf(transport().send(message()));
    expect(err).toMatchObject({
      retryable: true,
      rateLimited: true,
      code: 'http_429',
      responseCode: 429,
      retryAfterMs: 7000,
      response: 'too many requests',
    });
  });

  it('reads X-RateLimit-Reset when a 429 has no Retry-After', async () => {
    const reset = Math.floor(Date.now() / 1000) + 30;
    sg.injectFault({
      kind: 'status',
      status: 429,
      headers: { 'X-RateLimit-Reset': String(reset) },
      body: { errors: [{ message: 'too many requests', field: null }] },
    });
    const err = await failureOf(transport().send(message()));
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBeGreaterThan(25_000);
    expect(err.retryAfterMs).toBeLessThanOrEqual(31_000);
  });

  it('retries a 500', async () => {
    sg.injectFault({ kind: 'status', status: 500, body: { errors: [{ message: 'internal server error' }] } });
    const err = await failureOf(transport().send(message()));
    expect(err).toMatchObject({ retryable: true, code: 'http_500', response: 'internal server error' });
    expect(err.rateLimited).toBeUndefined();
  });

  it('explains a 403 about the sender identity', async () => {
    const words = 'The from address does not match a verified Sender Identity. Mail cannot be sent until this error is resolved.';
    sg.injectFault({ kind: 'status', status: 403, body: { errors: [{ message: words, field: 'from', help: null }] } });
    const err = await failureOf(transport().send(message()));
    expect(err).toMatchObject({
      retryable: false,
      code: 'sender_not_verified',
      responseCode: 403,
      response: words,
      hintKey: 'sendgrid.senderNotVerified',
    });
    expect(err.hint).toMatch(/the From address is not a verified Sender Identity in SendGrid/i);
  });

  it('keeps a 403 on the key check permanent: nothing retries a check', async () => {
    sg.injectFault(
      { kind: 'status', status: 403, body: { errors: [{ message: 'access forbidden', field: null }] } },
      (req) => req.path === '/v3/scopes',
    );
    const err = await failureOf(transport().verify());
    expect(err).toMatchObject({ retryable: false, code: 'http_403', hintKey: 'sendgrid.forbidden' });
    expect(err.hint).not.toMatch(/try again/);
  });

  it('takes a 403 on the `from` field for the sender whatever its words', async () => {
    sg.injectFault({ kind: 'status', status: 403, body: { errors: [{ message: 'not allowed', field: 'from.email' }] } });
    expect(await failureOf(transport().send(message()))).toMatchObject({ code: 'sender_not_verified', responseCode: 403 });
  });

  it('refuses an email over the size limit for good', async () => {
    const err = await failureOf(
      transport().send(
        message({ attachments: [{ filename: 'big.pdf', contentType: 'application/pdf', content: randomBytes(300 * 1024) }] }),
      ),
    );
    expect(err).toMatchObject({ retryable: false, code: 'http_413', response: 'content too large' });
    expect(err.hint).toMatch(/SendGrid: the attachment is too large/);
  });

  it('retries a dropped connection', async () => {
    sg.injectFault({ kind: 'drop' });
    const err = await failureOf(transport().send(message()));
    expect(err.retryable).toBe(true);
    expect(err.code).toBe('ECONNRESET');
  });

  it('gives up waiting after timeoutMs and retries', async () => {
    const delayMs = 900;
    sg.injectFault({ kind: 'delay', ms: delayMs });
    const started = Date.now();
    const err = await failureOf(transport(KEY_A, 250).send(message()));
    const waited = Date.now() - started;
    expect(waited).toBeLessThan(delayMs - 200);
    expect(err).toMatchObject({ retryable: true, code: 'ETIMEDOUT' });
    expect(err.hint).toMatch(/did not answer within 250 ms/);
    // let the emulator's delayed answer run out so no timer outlives the suite
    await new Promise((r) => setTimeout(r, delayMs - waited + 50));
  });

  it('retries when nothing listens', async () => {
    const t = new SendgridTransport({ apiKey: KEY_A, baseUrl: `http://127.0.0.1:${await refusingPort()}`, timeoutMs: 2000 });
    const err = await failureOf(t.send(message()));
    expect(err).toMatchObject({ retryable: true, code: 'ECONNREFUSED' });
  });

  it('keeps tenants apart: concurrent sends each reach SendGrid with their own key only', async () => {
    const a = transport(KEY_A);
    const b = transport(KEY_B);
    const results = await Promise.all(twoTenantInvoices(10).map((m) => (m.tenantId === 't_a' ? a : b).send(m)));
    for (const r of results) {
      const sent = sg.sent.find((s) => s.messageId === r.providerMessageId)!;
      const tenant = sent.body.custom_args!.mailroom_tenant_id;
      expect(sent.apiKey).toBe(tenant === 't_a' ? KEY_A : KEY_B);
      expect(sent.httpHeaders.authorization).toBe(`Bearer ${tenant === 't_a' ? KEY_A : KEY_B}`);
    }
    // the SDK's process-wide singleton was never configured
    const singleton = (sgMail as unknown as { client: { auth: string; defaultRequest: { baseUrl: string } } }).client;
    expect(singleton.auth).toBe('');
    expect(singleton.defaultRequest.baseUrl).toBe('https://api.sendgrid.com/');
  });

  it('verifies that the key may send mail', async () => {
    await expect(transport().verify()).resolves.toBeUndefined();
    await expect(transport(SEND_ONLY).verify()).resolves.toBeUndefined();
    const err = await failureOf(transport('SG.unknown.' + 'q'.repeat(40)).verify());
    expect(err).toMatchObject({ retryable: false, code: 'http_401' });
    sg.injectFault({ kind: 'status', status: 200, body: { scopes: ['user.profile.read'] } }, (req) => req.path === '/v3/scopes');
    const noScope = await failureOf(transport().verify());
    expect(noScope).toMatchObject({ retryable: false, code: 'missing_scope' });
    expect(noScope.hint).toMatch(/Mail Send permission/);
  });
});
