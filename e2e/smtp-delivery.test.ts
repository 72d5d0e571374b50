import fs from 'node:fs';
import path from 'node:path';
import { refusingPort, RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { INVOICE_PDF, Mailroom, SETTLED, startMailroom, waitForEmail } from './support/mailroom-harness';

const USER = 'billing@tenant.example';
const PASS = 'correct horse battery';

describe('documents emailed end to end through the tenant SMTP server and the platform', () => {
  let m: Mailroom;
  const sinks: RunningSmtpSink[] = [];
  const sink = async (opts: Parameters<typeof startSmtpSink>[0]) => {
    const s = await startSmtpSink(opts);
    sinks.push(s);
    return s;
  };
  beforeAll(async () => {
    m = await startMailroom();
  });
  afterAll(async () => {
    await m.stop();
    await Promise.all(sinks.map((s) => s.close()));
  });

  async function smtpTenant(id: string, port: number, tls: boolean, over: Record<string, unknown> = {}) {
    await m.call('PUT', `/v1/tenants/${id}`, { name: `Tenant ${id}`, plan: 'premium' });
    const r = await m.call('PUT', `/v1/tenants/${id}/email-settings`, {
      mode: 'smtp',
      senderName: 'Tenant Billing',
      replyTo: 'accounts@tenant.example',
      cc: [],
      bcc: ['archive@tenant.example'],
      smtp: { preset: 'other', fromAddress: USER, username: USER, password: PASS, host: '127.0.0.1', port, tls, ...over },
    });
    expect(r.status).toBe(200);
  }
  const invoice = (n: string) => ({
    to: [{ email: 'client@customer.example', name: 'Client SA' }],
    cc: ['cfo@customer.example'],
    subject: `Invoice ${n}`,
    text: `Invoice ${n} attached.`,
    html: `<html><body><p>Invoice ${n} attached.</p></body></html>`,
    attachments: [{ filename: `${n}.pdf`, contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
    document: { type: 'invoice', id: n, number: n },
  });
  const send = async (tenant: string, body: unknown) => {
    const r = await m.call('POST', `/v1/tenants/${tenant}/emails`, body);
    expect(r.status).toBe(202);
    return r.body.id as string;
  };

  it('STARTTLS (required) with AUTH: headers, BCC only in the envelope, attachment bytes, Message-ID in the history', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
    await smtpTenant('starttls', s.port, false);
    const id = await send('starttls', invoice('F-100'));
    const email = await waitForEmail(m, 'starttls', id, SETTLED);
    const [msg] = await s.waitForMessages(1);
    expect(msg.secure).toBe(true);
    expect(s.authAttempts.every((a) => a.secure && a.ok)).toBe(true);
    expect(msg.envelope.rcptTo.sort()).toEqual(['archive@tenant.example', 'cfo@customer.example', 'client@customer.example']);
    expect(msg.parsed.headers.get('bcc')).toBeUndefined();
    expect(msg.raw.toString()).not.toMatch(/^bcc:/im);
    expect(msg.parsed.from?.value[0]).toEqual({ address: USER, name: 'Tenant Billing' });
    expect(msg.parsed.replyTo?.value[0].address).toBe('accounts@tenant.example');
    expect(msg.parsed.subject).toBe('Invoice F-100');
    expect(msg.parsed.attachments[0].filename).toBe('F-100.pdf');
    expect(Buffer.compare(msg.parsed.attachments[0].content, INVOICE_PDF)).toBe(0);
    expect(msg.parsed.messageId).toBe(email.messageId);
    expect(email).toMatchObject({ status: 'accepted', transport: { mode: 'smtp' } });
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0]).toMatchObject({ ok: true, response: expect.stringMatching(/^250/) });
    expect(email.recipients.map((r: any) => r.status)).toEqual(['accepted', 'accepted', 'accepted']);
    expect(JSON.stringify(email)).not.toContain(PASS);
  });

  it('implicit TLS from the first byte', async () => {
    const s = await sink({ tls: 'implicit', auth: { users: { [USER]: PASS } } });
    await smtpTenant('implicit', s.port, true);
    const id = await send('implicit', invoice('F-101'));
    expect((await waitForEmail(m, 'implicit', id, SETTLED)).status).toBe('accepted');
    expect(s.connections[0].secureAtConnect).toBe(true);
  });

  it('never falls back to plaintext: a server without STARTTLS fails at once, no password sent', async () => {
    const s = await sink({ tls: 'none', auth: { users: { [USER]: PASS } } });
    await smtpTenant('plain', s.port, false);
    const id = await send('plain', invoice('F-102'));
    const email = await waitForEmail(m, 'plain', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0].hint).toMatch(/STARTTLS|465/);
    expect(s.authAttempts).toHaveLength(0);
    expect(s.messages).toHaveLength(0);
  });

  it('535 from Gmail fails at once with the app-password hint, and the settings warn about it', async () => {
    const s = await sink({ tls: 'implicit', auth: { users: { [USER]: 'the-real-one' } } });
    await smtpTenant('gmail', s.port, true, { preset: 'gmail' });
    const id = await send('gmail', invoice('F-103'));
    const email = await waitForEmail(m, 'gmail', id, SETTLED);
    expect(email.status).toBe('failed');
    expect(email.attempts).toHaveLength(1);
    expect(email.attempts[0]).toMatchObject({ ok: false, code: 'EAUTH', responseCode: 535, retryable: false });
    expect(email.attempts[0].hint).toMatch(/app password/i);
    const settings = await m.call('GET', '/v1/tenants/gmail/email-settings');
    expect(settings.body.warnings).toEqual([{ code: 'gmail_app_password', message: expect.stringMatching(/app password/i) }]);
  });

  it('421 at the greeting is retried with backoff until the server recovers', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } }, greet421Times: 2 });
    await smtpTenant('greet421', s.port, false);
    const id = await send('greet421', invoice('F-104'));
    const email = await waitForEmail(m, 'greet421', id, (e) => e.status === 'accepted');
    expect(email.attempts.map((a: any) => a.ok)).toEqual([false, false, true]);
    expect(email.attempts[0]).toMatchObject({ retryable: true, responseCode: 421 });
    expect(email.events.filter((e: any) => e.type === 'deferred')).toHaveLength(2);
  });

  it('a connection dropped mid-DATA is retried', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } }, dropDuringData: 1 });
    await smtpTenant('drop', s.port, false);
    const id = await send('drop', invoice('F-105'));
    const email = await waitForEmail(m, 'drop', id, (e) => e.status === 'accepted');
    expect(email.attempts.map((a: any) => a.ok)).toEqual([false, true]);
    expect(s.droppedDuringData).toBe(1);
  });

  it('connection refused is retried up to SEND_ATTEMPTS, then failed with a hint', async () => {
    await smtpTenant('refused', await refusingPort(), false);
    const id = await send('refused', invoice('F-106'));
    const email = await waitForEmail(m, 'refused', id, (e) => e.status === 'failed');
    expect(email.attempts).toHaveLength(4);
    expect(email.attempts.every((a: any) => a.retryable === true)).toBe(true);
    expect(email.attempts[3].hint).toMatch(/host|port/i);
  });

  it('a server busy to the end: the retries say so, the last attempt says it was tried and how to retry it', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } }, rejectMailFrom: '451 4.3.2 Try again later' });
    await smtpTenant('busy', s.port, false);
    const id = await send('busy', invoice('F-111'));
    const email = await waitForEmail(m, 'busy', id, (e) => e.status === 'failed');
    expect(email.attempts).toHaveLength(4);
    for (const a of email.attempts.slice(0, 3)) {
      expect(a.hint).toMatch(/will be retried automatically/);
      expect(a).toMatchObject({ hintKey: 'smtp.tryLater', hintThen: 'retry' });
    }
    // The same advice by its key, for a screen that words it itself: now followed by "nothing retries it".
    expect(email.attempts[3]).toMatchObject({
      hintKey: 'smtp.tryLater',
      hintThen: 'lastAttempt',
      hintParams: { attempts: 4, retryPath: `/v1/tenants/busy/emails/${id}/retry` },
    });
    const last = email.attempts[3].hint;
    expect(last).not.toMatch(/will be retried/);
    expect(last).toMatch(/^The server is busy or limiting connections\. Tried 4 times/);
    expect(last).toContain(`POST /v1/tenants/busy/emails/${id}/retry`);
  });

  it('one refused recipient does not sink the others', async () => {
    const s = await sink({
      tls: 'starttls',
      auth: { users: { [USER]: PASS } },
      rejectRecipients: { 'cfo@customer.example': '550 5.1.1 <cfo@customer.example>: User unknown' },
    });
    await smtpTenant('partial', s.port, false);
    const id = await send('partial', invoice('F-107'));
    const email = await waitForEmail(m, 'partial', id, SETTLED);
    const byEmail = Object.fromEntries(email.recipients.map((r: any) => [r.email, r]));
    expect(byEmail['client@customer.example'].status).toBe('accepted');
    expect(byEmail['cfo@customer.example']).toMatchObject({
      status: 'failed',
      reason: expect.stringMatching(/User unknown/),
      responseCode: 550,
      statusCode: '5.1.1',
    });
    expect(email.status).toBe('accepted');
  });

  it('a recipient refused for now (451) is tried again alone while the others stay sent once', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
    let refusals = 2;
    s.behaviour.rejectRecipients = {
      get 'cfo@customer.example'() {
        return refusals-- > 0 ? '451 4.2.1 <cfo@customer.example>: Mailbox busy, try again later' : undefined;
      },
    } as Record<string, string>;
    await smtpTenant('busy-mailbox', s.port, false);
    const id = await send('busy-mailbox', invoice('F-108'));
    const email = await waitForEmail(m, 'busy-mailbox', id, SETTLED);
    expect(email.recipients.map((r: any) => [r.email, r.status])).toEqual([
      ['client@customer.example', 'accepted'],
      ['cfo@customer.example', 'accepted'],
      ['archive@tenant.example', 'accepted'],
    ]);
    expect(email.recipients[1].reason).toBeUndefined();
    // Sent to all (cfo refused), then to cfo alone twice (refused, then taken).
    expect(email.attempts.map((a: any) => a.ok)).toEqual([true, false, true]);
    // The first deferral names cfo (the others were taken); the second is the failed attempt's, for cfo
    // alone, and names it too (recipients: whom the attempt was for).
    expect(email.events.filter((e: any) => e.type === 'deferred').map((e: any) => [e.key, e.recipient, e.recipients])).toEqual([
      ['worker:deferred:1:cfo@customer.example', 'cfo@customer.example', undefined],
      ['worker:attempt:2', 'cfo@customer.example', ['cfo@customer.example']],
    ]);
    const messages = await s.waitForMessages(2);
    expect(messages.map((msg) => msg.envelope.rcptTo)).toEqual([
      ['client@customer.example', 'archive@tenant.example'],
      ['cfo@customer.example'],
    ]);
    expect(email.status).toBe('accepted');
  });

  it('a recipient refused for now on every attempt fails after the last one, and the others were sent once (the BCC archive too)', async () => {
    const s = await sink({
      tls: 'starttls',
      auth: { users: { [USER]: PASS } },
      rejectRecipients: { 'cfo@customer.example': '451 4.2.1 <cfo@customer.example>: Mailbox busy, try again later' },
    });
    await smtpTenant('busy-for-good', s.port, false);
    const id = await send('busy-for-good', invoice('F-109'));
    const email = await waitForEmail(m, 'busy-for-good', id, SETTLED);
    const byEmail = Object.fromEntries(email.recipients.map((r: any) => [r.email, r]));
    expect(byEmail['client@customer.example'].status).toBe('accepted');
    expect(byEmail['cfo@customer.example']).toMatchObject({ status: 'failed', responseCode: 451, statusCode: '4.2.1' });
    expect(byEmail['cfo@customer.example'].nextAttemptAt).toBeUndefined();
    expect(email.attempts).toHaveLength(4); // SEND_ATTEMPTS in the harness
    expect(s.messages.map((msg) => msg.envelope.rcptTo)).toEqual([['client@customer.example', 'archive@tenant.example']]);
    // Every attempt after the first was for cfo alone: each of their events names it, the last one failed.
    const attempts = email.events.filter((e: any) => e.key.startsWith('worker:attempt:'));
    expect(attempts.map((e: any) => [e.type, e.recipient, e.recipients])).toEqual([
      ['deferred', 'cfo@customer.example', ['cfo@customer.example']],
      ['deferred', 'cfo@customer.example', ['cfo@customer.example']],
      ['failed', 'cfo@customer.example', ['cfo@customer.example']],
    ]);
  });

  it('new settings replace the cached pooled transport at once', async () => {
    const before = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
    const after = await sink({ tls: 'starttls', auth: { users: { [USER]: 'a-new-password' } } });
    await smtpTenant('rotate', before.port, false);
    await waitForEmail(m, 'rotate', await send('rotate', invoice('F-108')), (e) => e.status === 'accepted');
    await smtpTenant('rotate', after.port, false, { password: 'a-new-password' });
    const email = await waitForEmail(m, 'rotate', await send('rotate', invoice('F-109')), SETTLED);
    expect(email.status).toBe('accepted');
    expect(before.messages).toHaveLength(1);
    expect(after.messages).toHaveLength(1);
    expect(after.authAttempts.map((a) => a.ok)).toEqual([true]);
  });

  it('platform mode writes an .eml to the outbox: the platform address, the tenant name, its reply-to', async () => {
    await m.call('PUT', '/v1/tenants/plat', { name: 'Plat', plan: 'free' });
    await m.call('PUT', '/v1/tenants/plat/email-settings', {
      mode: 'platform',
      senderName: 'Panadería Pepa',
      replyTo: 'pepa@pepa.example',
    });
    const id = await send('plat', invoice('F-110'));
    const email = await waitForEmail(m, 'plat', id, SETTLED);
    expect(email.status).toBe('accepted');
    const eml = fs.readFileSync(path.join(m.dataDir, 'outbox', `${id}.eml`), 'utf8');
    expect(eml).toMatch(/^From: .*<documents@mailroom\.localhost>/m);
    expect(eml).toMatch(/Pepa/);
    expect(eml).toMatch(/^Reply-To: pepa@pepa\.example/m);
    expect(eml).toContain(`Message-ID: ${email.messageId}`);
  });

  it('the open pixel marks the email opened once per client a minute, counts machines apart, and ignores forged tokens', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: PASS } } });
    await smtpTenant('opens', s.port, false);
    const id = await send('opens', {
      to: ['reader@customer.example'],
      subject: 'Quote Q-1',
      html: '<p>Your quote</p>',
      document: { type: 'quote', id: 'Q-1' },
    });
    await waitForEmail(m, 'opens', id, SETTLED);
    const [msg] = await s.waitForMessages(1);
    const pixel = /<img src="([^"]+\/t\/o\/[^"]+)"/.exec(msg.parsed.html as string)![1];
    expect(pixel.startsWith(m.webhooks.url)).toBe(true);
    await new Promise((r) => setTimeout(r, 2100)); // past the prefetch window
    const browser = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36';
    const first = await fetch(pixel, { headers: { 'user-agent': browser } });
    expect(first.headers.get('content-type')).toBe('image/gif');
    await fetch(pixel, { headers: { 'user-agent': browser } }); // the same client again within a minute: counted once
    await fetch(pixel, { headers: { 'user-agent': browser, 'x-forwarded-for': '203.0.113.7' } }); // another reader
    await fetch(pixel, { headers: { 'user-agent': 'Mozilla/5.0' } }); // Apple MPP prefetch
    const forged = await fetch(
      pixel.replace(/.$/, (c) => (c === 'A' ? 'B' : 'A')),
      { headers: { 'user-agent': browser } },
    );
    expect(forged.status).toBe(200);
    expect(forged.headers.get('content-type')).toBe('image/gif');
    const garbage = await fetch(`${m.webhooks.url}/t/o/not-a-token`);
    expect(
      Buffer.from(await garbage.arrayBuffer())
        .subarray(0, 3)
        .toString(),
    ).toBe('GIF');
    const email = await waitForEmail(m, 'opens', id, (e) => e.opens.count === 2 && e.opens.machineCount === 1);
    expect(email.status).toBe('opened');
    // Two recipients (the tenant's default BCC) and one pixel per email: we cannot know who opened, so no recipient is claimed.
    expect(email.recipients.map((r: any) => r.status)).toEqual(['accepted', 'accepted']);
    expect(
      email.events
        .filter((e: any) => e.type === 'opened')
        .map((e: any) => Boolean(e.machine))
        .sort(),
    ).toEqual([false, false, true]);
    expect(email.opens.firstAt).toBeDefined();
    const opened = await m.call('GET', '/v1/tenants/opens/emails?status=opened');
    expect(opened.body.items.map((e: any) => e.id)).toEqual([id]);
  });
});
