import { randomBytes } from 'node:crypto';
// The testkit is a sibling workspace package that transports does not depend on at run time.
import { MailjetEmulator, startMailjetEmulator } from '../../../testkit/src/emulators/mailjet';
import { refusingPort } from '../../../testkit/src/smtp/dead-end-servers';
import { MailjetTransport } from './mailjet-transport';
import { expectRetryableWithoutAnswer, failureOf, invoiceMessage, twoTenantInvoices } from '../../test/outgoing-message.fixture';

const A = { public: 'pub-tenant-a-0123456789', private: 'priv-tenant-a-abcdef' };
const B = { public: 'pub-tenant-b-9876543210', private: 'priv-tenant-b-fedcba' };

function basicUserOf(header: string | string[] | undefined): string {
  return Buffer.from(String(header).replace(/^Basic /, ''), 'base64').toString('utf8');
}

describe('MailjetTransport against the HTTPS Mailjet emulator', () => {
  let mj: MailjetEmulator;
  const transport = (keys = A, timeoutMs = 5000) =>
    new MailjetTransport({ publicKey: keys.public, privateKey: keys.private, baseUrl: mj.url, timeoutMs });

  beforeAll(async () => {
    mj = await startMailjetEmulator({ keys: [A, B], validatedSenders: ['billing@tenant-a.example', '*@tenant-b.example'] });
  });
  afterAll(() => mj.close());
  afterEach(() => mj.clearRefusals());

  it('sends the whole email through the SDK: byte-exact attachment, CustomID, EventPayload, TrackOpens, headers', async () => {
    const pdf = randomBytes(4096);
    const before = mj.sent.length;
    const result = await transport().send(
      invoiceMessage({
        cc: [{ email: 'accounting@example.com' }],
        bcc: [{ email: 'archive@tenant-a.example' }],
        attachments: [{ filename: 'F-2026-001.pdf', contentType: 'application/pdf', content: pdf }],
        // Mailjet refuses headers it sets itself (send-0011): the transport leaves them out.
        headers: { 'X-Mailroom-Email-Id': 'em_01', 'Message-ID': '<em_01@mailroom.example>', 'Reply-To': 'x@y.z', 'X-Document': 'invoice' },
      }),
    );
    expect(mj.sent).toHaveLength(before + 1);
    const sent = mj.sent[before];
    expect(sent.publicKey).toBe(A.public);
    const m = sent.message;
    expect(m.From).toEqual({ Email: 'billing@tenant-a.example', Name: 'Tenant A' });
    expect(m.ReplyTo).toEqual({ Email: 'support@tenant-a.example', Name: 'Support' });
    expect(m.To).toEqual([{ Email: 'client@example.com', Name: 'Client' }]);
    expect(m.Cc).toEqual([{ Email: 'accounting@example.com' }]);
    expect(m.Bcc).toEqual([{ Email: 'archive@tenant-a.example' }]);
    expect(m.Subject).toBe('Invoice F-2026-001');
    expect(m.TextPart).toBe('Please find your invoice attached.');
    expect(m.HTMLPart).toBe('<p>Please find your invoice attached.</p>');
    expect(m.CustomID).toBe('em_01');
    expect(JSON.parse(m.EventPayload!)).toEqual({ emailId: 'em_01', tenantId: 't_a' });
    expect(m.TrackOpens).toBe('enabled');
    expect(m.Headers).toEqual({ 'X-Mailroom-Email-Id': 'em_01', 'X-Document': 'invoice' });
    expect(m.Attachments).toHaveLength(1);
    expect(m.Attachments![0].ContentType).toBe('application/pdf');
    expect(m.Attachments![0].Filename).toBe('F-2026-001.pdf');
    expect(Buffer.from(m.Attachments![0].Base64Content, 'base64').equals(pdf)).toBe(true);

    const uuids = sent.recipients.map((r) => r.messageUUID);
    expect(result.providerMessageId).toBe(uuids[0]);
    expect(result.recipients).toEqual([
      expect.objectContaining({ email: 'client@example.com', accepted: true, providerMessageId: uuids[0] }),
      expect.objectContaining({ email: 'accounting@example.com', accepted: true, providerMessageId: uuids[1] }),
      expect.objectContaining({ email: 'archive@tenant-a.example', accepted: true, providerMessageId: uuids[2] }),
    ]);
  });

  it('does not ask for open tracking without HTML, and tracks opens only when asked', async () => {
    const before = mj.sent.length;
    await transport().send(invoiceMessage({ html: undefined }));
    await transport().send(invoiceMessage({ trackOpens: false }));
    expect(mj.sent[before].message.TrackOpens).toBeUndefined();
    expect(mj.sent[before].message.HTMLPart).toBeUndefined();
    expect(mj.sent[before + 1].message.TrackOpens).toBe('disabled');
  });

  it('keeps every digit of the bigint MessageIDs, as strings', async () => {
    const before = mj.sent.length;
    const result = await transport().send(invoiceMessage({ to: [{ email: 'one@example.com' }, { email: 'two@example.com' }] }));
    const [one, two] = mj.sent[before].recipients.map((r) => r.messageID);
    expect(one).toMatch(/^\d{17}$/);
    expect(BigInt(two) - BigInt(one)).toBe(1n);
    // What JSON.parse would have done: both collapse to the same number.
    expect(Number(one) === Number(two) || Number(one).toString() !== one).toBe(true);
    // The answer went over the wire as raw digits, and the transport kept them as text.
    expect(result.messageId).toBe(one);
    expect(result.recipients[0].response).toContain(`MessageID ${one}`);
    expect(result.recipients[1].response).toContain(`MessageID ${two}`);
  });

  it('refuses a wrong key pair for good, with a hint and without the key in the error', async () => {
    const err = await failureOf(transport({ public: A.public, private: 'wrong-private-key' }).send(invoiceMessage()));
    expect(err.retryable).toBe(false);
    expect(err.code).toBe('http_401');
    expect(err.responseCode).toBe(401);
    expect(err.response).toContain('mj-0015');
    expect(err.hint).toBe('Mailjet rejected the API keys: check the public and private key pair');
    expect(JSON.stringify({ ...err, message: err.message })).not.toContain('wrong-private-key');
    expect(err.cause).toBeUndefined();
  });

  it('refuses an unvalidated sender for good, with the sender hint', async () => {
    const err = await failureOf(transport().send(invoiceMessage({ from: { email: 'someone@elsewhere.example' } })));
    expect(err.retryable).toBe(false);
    expect(err.responseCode).toBe(403);
    expect(err).toMatchObject({ code: 'sender_not_verified', hintKey: 'mailjet.sender' });
    expect(err.response).toContain('send-0008');
    expect(err.response).toContain('someone@elsewhere.example');
    expect(err.hint).toBe('Mailjet refused the sender: validate fromAddress in Mailjet');
  });

  it("refuses an invalid email for good with Mailjet's own words", async () => {
    const err = await failureOf(transport().send(invoiceMessage({ subject: 'x'.repeat(300) })));
    expect(err.retryable).toBe(false);
    expect(err.responseCode).toBe(400);
    expect(err.response).toMatch(/Subject/);
  });

  it('records a mixed bulk answer per recipient instead of failing (or retrying) the email', async () => {
    mj.refuseRecipient('blocked@example.com');
    const before = mj.sent.length;
    const result = await transport().send(invoiceMessage({ to: [{ email: 'client@example.com' }, { email: 'Blocked@example.com' }] }));
    expect(mj.sent[before].recipients.map((r) => r.email)).toEqual(['client@example.com']);
    const [ok, refused] = result.recipients;
    expect(ok).toEqual(
      expect.objectContaining({
        email: 'client@example.com',
        accepted: true,
        providerMessageId: mj.sent[before].recipients[0].messageUUID,
      }),
    );
    // 400 is Mailjet's HTTP status, not an SMTP 4xx: final, never tried again.
    expect(refused).toEqual(
      expect.objectContaining({ email: 'Blocked@example.com', accepted: false, responseCode: 400, retryable: false }),
    );
    expect(refused.response).toContain('exclusion list');
    expect(result.providerMessageId).toBe(mj.sent[before].recipients[0].messageUUID);
  });

  it('throws when every recipient was refused', async () => {
    mj.refuseRecipient('client@example.com');
    const err = await failureOf(transport().send(invoiceMessage()));
    expect(err.retryable).toBe(false);
    expect(err.response).toContain('exclusion list');
  });

  it('retries a 429 after the Retry-After Mailjet gave', async () => {
    mj.injectFault({
      kind: 'status',
      status: 429,
      headers: { 'Retry-After': '7' },
      body: { ErrorMessage: 'Too many requests', StatusCode: 429 },
    });
    const err = await failureOf(transport().send(invoiceMessage()));
    expect(err.retryable).toBe(true);
    expect(err.rateLimited).toBe(true);
    expect(err.responseCode).toBe(429);
    expect(err.retryAfterMs).toBe(7000);
  });

  it('retries a 500', async () => {
    mj.injectFault({
      kind: 'status',
      status: 500,
      body: { ErrorIdentifier: 'e1', ErrorMessage: 'Internal Server Error', StatusCode: 500 },
    });
    const err = await failureOf(transport().send(invoiceMessage()));
    expect(err.retryable).toBe(true);
    expect(err.responseCode).toBe(500);
  });

  it('does not retry a payload Mailjet finds too large', async () => {
    mj.injectFault({
      kind: 'status',
      status: 413,
      body: { ErrorIdentifier: 'e2', ErrorCode: 'mj-0011', ErrorMessage: 'Payload too large', StatusCode: 413 },
    });
    const err = await failureOf(transport().send(invoiceMessage()));
    expect(err.retryable).toBe(false);
    expect(err.hint).toMatch(/too large/);
  });

  it('retries a dropped connection', async () => {
    mj.injectFault({ kind: 'drop' });
    expectRetryableWithoutAnswer(await failureOf(transport().send(invoiceMessage())));
  });

  it('retries a refused connection', async () => {
    const t = new MailjetTransport({
      publicKey: A.public,
      privateKey: A.private,
      baseUrl: `https://127.0.0.1:${await refusingPort()}`,
      timeoutMs: 2000,
    });
    const err = await failureOf(t.send(invoiceMessage()));
    expect(err.retryable).toBe(true);
    expect(err.code).toBe('ECONNREFUSED');
  });

  it('retries when Mailjet answers later than timeoutMs', async () => {
    mj.injectFault({ kind: 'delay', ms: 800 });
    const started = Date.now();
    const err = await failureOf(transport(A, 200).send(invoiceMessage()));
    expect(Date.now() - started).toBeLessThan(700);
    expect(err.retryable).toBe(true);
    expect(err.code).toBe('ETIMEDOUT');
    // Let the emulator finish its late answer so no timer outlives the suite.
    await new Promise((r) => setTimeout(r, 800 - (Date.now() - started) + 50));
  });

  it('gives two tenants their own client: each reaches Mailjet with its own keys only', async () => {
    const before = mj.requests.length;
    const sentBefore = mj.sent.length;
    const ta = transport(A);
    const tb = transport(B);
    const invoices = twoTenantInvoices(6);
    await Promise.all(invoices.map((m) => (m.tenantId === 't_a' ? ta : tb).send(m)));
    // This test's messages only: the previous test's late answer may land meanwhile on a loaded machine.
    const ids = new Set(invoices.map((m) => m.emailId));
    const sent = mj.sent.slice(sentBefore).filter((s) => ids.has(s.message.CustomID!));
    expect(sent).toHaveLength(6);
    for (const s of sent) expect(s.publicKey).toBe(s.message.CustomID!.startsWith('em_a') ? A.public : B.public);
    const users = mj.requests.slice(before).map((r) => basicUserOf(r.headers.authorization));
    expect(users.sort()).toEqual([...Array(3).fill(`${A.public}:${A.private}`), ...Array(3).fill(`${B.public}:${B.private}`)].sort());
  });

  it('refuses a base URL node-mailjet cannot reach (it only speaks https)', () => {
    expect(() => new MailjetTransport({ publicKey: 'p', privateKey: 'k', baseUrl: 'http://127.0.0.1:1', timeoutMs: 1000 })).toThrow(
      expect.objectContaining({ code: 'ECONFIG', retryable: false }),
    );
  });
});
