import { randomBytes } from 'node:crypto';
// The testkit is a sibling workspace package that transports does not depend on at run time.
import { formValue, formValues, MailgunEmulator, startMailgunEmulator } from '../../../testkit/src/emulators/mailgun';
import { refusingPort } from '../../../testkit/src/smtp/dead-end-servers';
import type { OutgoingMessage } from '../transport';
import { MAILGUN_401_HINT } from './classify-mailgun-error';
import { MailgunTransport } from './mailgun-transport';
import { expectRetryableWithoutAnswer, failureOf, invoiceMessage, twoTenantInvoices } from '../../test/outgoing-message.fixture';

const US_KEY_A = 'key-us-tenant-a-' + 'a'.repeat(24);
const US_KEY_B = 'key-us-tenant-b-' + 'b'.repeat(24);
const EU_KEY = 'key-eu-tenant-c-' + 'c'.repeat(24);
const DOMAIN_A = 'mg.tenant-a.example';
const DOMAIN_B = 'mg.tenant-b.example';
const DOMAIN_EU = 'mg.tenant-c.example';

const message = (overrides: Partial<OutgoingMessage> = {}): OutgoingMessage =>
  invoiceMessage({ from: { email: `billing@${DOMAIN_A}`, name: 'Tenant A, S.L.' }, ...overrides });

describe('MailgunTransport against the Mailgun emulators (US and EU)', () => {
  let us: MailgunEmulator;
  let eu: MailgunEmulator;
  const transport = (o: { apiKey?: string; domain?: string; baseUrl?: string; timeoutMs?: number } = {}) =>
    new MailgunTransport({
      apiKey: o.apiKey ?? US_KEY_A,
      domain: o.domain ?? DOMAIN_A,
      baseUrl: o.baseUrl ?? us.url,
      timeoutMs: o.timeoutMs ?? 5000,
    });

  beforeAll(async () => {
    us = await startMailgunEmulator({ region: 'us', keys: [US_KEY_A, US_KEY_B], domains: [DOMAIN_A, DOMAIN_B] });
    eu = await startMailgunEmulator({ region: 'eu', keys: [EU_KEY], domains: [DOMAIN_EU] });
  });
  afterAll(async () => {
    await us.close();
    await eu.close();
  });

  it('sends the whole email, attachments byte-exact and our ids as v: variables, and answers the id without brackets', async () => {
    const pdf = randomBytes(64 * 1024); // every byte value, not just text
    const xml = Buffer.from('<?xml version="1.0"?><factura n="F-2026-001">€</factura>', 'utf8');
    const result = await transport().send(
      message({
        cc: [{ email: 'CLIENT@example.com' }, { email: 'accounting@example.com' }],
        bcc: [{ email: 'archive@tenant-a.example' }],
        attachments: [
          { filename: 'F-2026-001.pdf', contentType: 'application/pdf', content: pdf },
          { filename: 'factura-2026.xml', contentType: 'application/xml', content: xml },
        ],
      }),
    );

    const sent = us.sent.find((s) => s.id === `<${result.providerMessageId}>`)!;
    expect(sent).toBeDefined();
    expect(sent.apiKey).toBe(US_KEY_A);
    expect(sent.domain).toBe(DOMAIN_A);
    expect(formValue(sent, 'from')).toBe(`"Tenant A, S.L." <billing@${DOMAIN_A}>`);
    expect(formValues(sent, 'to')).toEqual(['"Client" <client@example.com>']);
    // the address already in To is not repeated in Cc
    expect(formValues(sent, 'cc')).toEqual(['accounting@example.com']);
    expect(formValues(sent, 'bcc')).toEqual(['archive@tenant-a.example']);
    expect(formValue(sent, 'subject')).toBe('Invoice F-2026-001');
    expect(formValue(sent, 'text')).toBe('Please find your invoice attached.');
    expect(formValue(sent, 'html')).toBe('<p>Please find your invoice attached.</p>');
    expect(formValue(sent, 'h:Reply-To')).toBe('"Support" <support@tenant-a.example>');
    expect(formValue(sent, 'h:Message-Id')).toBe('<em_01@mailroom.example>');
    expect(formValue(sent, 'h:X-Mailroom-Email-Id')).toBe('em_01');
    expect(formValue(sent, 'v:mailroom_email_id')).toBe('em_01');
    expect(formValue(sent, 'v:mailroom_tenant_id')).toBe('t_a');
    expect(formValue(sent, 'o:tracking-opens')).toBe('yes');

    expect(sent.files.map((f) => [f.field, f.filename, f.contentType])).toEqual([
      ['attachment', 'F-2026-001.pdf', 'application/pdf'],
      ['attachment', 'factura-2026.xml', 'application/xml'],
    ]);
    expect(sent.files[0].data.equals(pdf)).toBe(true);
    expect(sent.files[1].data.equals(xml)).toBe(true);

    // Mailgun keeps our Message-Id; its answer carries brackets, our result does not.
    expect(result.providerMessageId).toBe('em_01@mailroom.example');
    expect(result.messageId).toBe('<em_01@mailroom.example>');
    expect(result.response).toBe('200 Queued. Thank you.');
    expect(result.recipients.map((r) => [r.email, r.accepted])).toEqual([
      ['client@example.com', true],
      ['accounting@example.com', true],
      ['archive@tenant-a.example', true],
    ]);
  });

  it('turns open tracking off when not asked for', async () => {
    const result = await transport().send(
      message({ emailId: 'em_02', messageId: '<em_02@mailroom.example>', trackOpens: false, html: undefined }),
    );
    const sent = us.sent.find((s) => s.id === `<${result.providerMessageId}>`)!;
    expect(formValue(sent, 'o:tracking-opens')).toBe('no');
    expect(formValue(sent, 'html')).toBeUndefined();
  });

  it('refuses a wrong key for good (401 Forbidden), with the region hint, and never shows the key', async () => {
    const wrong = 'key-revoked-' + 'z'.repeat(24);
    const err = await failureOf(transport({ apiKey: wrong }).send(message()));
    expect(err).toMatchObject({ code: 'http_401', retryable: false, responseCode: 401, response: 'Forbidden', ...MAILGUN_401_HINT });
    expect(JSON.stringify({ ...err, message: err.message, stack: err.stack })).not.toContain(wrong);
  });

  it('a tenant configured with the wrong region gets the same 401, permanent, with the region hint', async () => {
    const sentBefore = us.sent.length;
    // An EU account's key and domain, sent to the US API.
    const err = await failureOf(
      transport({ apiKey: EU_KEY, domain: DOMAIN_EU, baseUrl: us.url }).send(message({ from: { email: `billing@${DOMAIN_EU}` } })),
    );
    expect(err).toMatchObject({ code: 'http_401', retryable: false, response: 'Forbidden', ...MAILGUN_401_HINT });
    expect(us.sent.length).toBe(sentBefore);
    // The same settings with the EU URL work.
    const ok = await transport({ apiKey: EU_KEY, domain: DOMAIN_EU, baseUrl: eu.url }).send(
      message({ from: { email: `billing@${DOMAIN_EU}` } }),
    );
    expect(eu.sent.map((s) => s.id)).toContain(`<${ok.providerMessageId}>`);
  });

  it('an unknown domain is permanent and named in the hint', async () => {
    const err = await failureOf(transport({ domain: 'mg.not-ours.example' }).send(message()));
    expect(err).toMatchObject({ code: 'http_404', retryable: false, response: 'Domain not found: mg.not-ours.example' });
    expect(err.hint).toContain('the domain mg.not-ours.example is not in this Mailgun account/region');
  });

  it("a real 400 is permanent and carries Mailgun's words", async () => {
    const err = await failureOf(transport().send(message({ text: undefined, html: undefined })));
    expect(err).toMatchObject({ code: 'http_400', retryable: false, responseCode: 400 });
    expect(err.response).toBe("Need at least one of 'text', 'html', 'amp-html' or 'template' parameters specified");
    expect(err.hint).toContain(err.response);
  });

  it('a refused connection is retryable although mailgun.js reports it as status 400', async () => {
    const err = await failureOf(transport({ baseUrl: `http://127.0.0.1:${await refusingPort()}` }).send(message()));
    expect(err).toMatchObject({ code: 'ECONNREFUSED', retryable: true });
    expect(err.responseCode).toBeUndefined();
  });

  it('a dropped connection is retryable', async () => {
    us.injectFault({ kind: 'drop' });
    expectRetryableWithoutAnswer(await failureOf(transport().send(message())));
  });

  it('an answer slower than timeoutMs is retryable', async () => {
    us.injectFault({ kind: 'delay', ms: 1500 });
    const started = Date.now();
    const err = await failureOf(transport({ timeoutMs: 300 }).send(message()));
    expect(Date.now() - started).toBeLessThan(1400);
    expect(err).toMatchObject({ code: 'ETIMEDOUT', retryable: true });
    expect(err.hint).toContain('300 ms');
  });

  it('429 is retryable and honours Retry-After (which mailgun.js itself drops)', async () => {
    us.injectFault({ kind: 'status', status: 429, body: { message: 'Too many requests' }, headers: { 'Retry-After': '7' } });
    const err = await failureOf(transport().send(message()));
    expect(err).toMatchObject({
      code: 'http_429',
      retryable: true,
      rateLimited: true,
      responseCode: 429,
      response: 'Too many requests',
      retryAfterMs: 7000,
    });
  });

  it('429 without Retry-After is retryable, leaving the backoff to the worker', async () => {
    us.injectFault({ kind: 'status', status: 429, body: { message: 'Too many requests' } });
    const err = await failureOf(transport().send(message()));
    expect(err).toMatchObject({ code: 'http_429', retryable: true });
    expect(err.retryAfterMs).toBeUndefined();
  });

  it('500 is retryable', async () => {
    us.injectFault({ kind: 'status', status: 500, body: { message: 'Internal Server Error' } });
    const err = await failureOf(transport().send(message()));
    expect(err).toMatchObject({ code: 'http_500', retryable: true, responseCode: 500 });
  });

  it('403 and 413 are permanent', async () => {
    us.injectFault({ kind: 'status', status: 403, body: { message: 'Domain mg.tenant-a.example is disabled' } });
    const forbidden = await failureOf(transport().send(message()));
    expect(forbidden).toMatchObject({ code: 'http_403', retryable: false, response: 'Domain mg.tenant-a.example is disabled' });
    us.injectFault({ kind: 'status', status: 413, body: 'Request Entity Too Large' });
    const large = await failureOf(transport().send(message()));
    expect(large).toMatchObject({ code: 'http_413', retryable: false });
    expect(large.hint).toContain('message too large');
  });

  it('two tenants sending at once each reach Mailgun with their own key only, and each gets its own Retry-After', async () => {
    const a = transport({ apiKey: US_KEY_A, domain: DOMAIN_A });
    const b = transport({ apiKey: US_KEY_B, domain: DOMAIN_B });
    const authOf = (key: string) => `Basic ${Buffer.from(`api:${key}`).toString('base64')}`;
    us.injectFault(
      { kind: 'status', status: 429, body: { message: 'Too many requests' }, headers: { 'Retry-After': '3' } },
      (req) => req.headers.authorization === authOf(US_KEY_A),
    );
    us.injectFault(
      { kind: 'status', status: 429, body: { message: 'Too many requests' }, headers: { 'Retry-After': '9' } },
      (req) => req.headers.authorization === authOf(US_KEY_B),
    );
    const [limitedA, limitedB] = await Promise.all([
      failureOf(a.send(message({ tenantId: 't_a' }))),
      failureOf(b.send(message({ tenantId: 't_b' }))),
    ]);
    expect(limitedA.retryAfterMs).toBe(3000);
    expect(limitedB.retryAfterMs).toBe(9000);

    const invoices = twoTenantInvoices(10, { t_a: `billing@${DOMAIN_A}`, t_b: `billing@${DOMAIN_B}` });
    const results = await Promise.all(invoices.map((m) => (m.tenantId === 't_a' ? a : b).send(m).then((r) => ({ tenant: m.tenantId, r }))));
    for (const { tenant, r } of results) {
      const sent = us.sent.find((s) => s.id === `<${r.providerMessageId}>`)!;
      expect(formValue(sent, 'v:mailroom_tenant_id')).toBe(tenant);
      expect(sent.apiKey).toBe(tenant === 't_a' ? US_KEY_A : US_KEY_B);
      expect(sent.domain).toBe(tenant === 't_a' ? DOMAIN_A : DOMAIN_B);
    }
  });

  it('verify() checks key, region and domain without sending', async () => {
    const before = us.sent.length;
    await expect(transport().verify()).resolves.toBeUndefined();
    expect(us.sent.length).toBe(before);
    const wrongRegion = await failureOf(transport({ apiKey: EU_KEY, domain: DOMAIN_EU }).verify());
    expect(wrongRegion).toMatchObject({ code: 'http_401', retryable: false, ...MAILGUN_401_HINT });
    const unknown = await failureOf(transport({ domain: 'mg.unknown.example' }).verify());
    expect(unknown).toMatchObject({ code: 'http_404', retryable: false });
  });
});
