import { RunningSmtpSink, samplePdfBytes } from '@mailroom/testkit';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { FAST_TIMEOUTS, LOCAL_SMTP_HOSTS, smtpTestBench } from '../../test/smtp-test-bench';
import { SmtpConnectionOptions, SmtpTransport } from './smtp-transport';

const USERS = { 'facturas@acme.test': 'app-pass-abcd-efgh' };

describe('SmtpTransport delivers through a real SMTP server', () => {
  const bench = smtpTestBench();
  const sink = bench.sink;
  function transport(s: RunningSmtpSink, options: Partial<SmtpConnectionOptions> = {}) {
    return bench.transport(
      new SmtpTransport({
        host: s.host,
        port: s.port,
        tls: s.tls === 'implicit',
        username: 'facturas@acme.test',
        password: USERS['facturas@acme.test'],
        timeouts: FAST_TIMEOUTS,
        hostGuard: LOCAL_SMTP_HOSTS,
        ...options,
      }),
    );
  }

  it.each([['PLAIN'], ['LOGIN']] as const)('logs in with AUTH %s over STARTTLS (587-style, required) and delivers', async (method) => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS, methods: [method] } });
    const result = await transport(s).send(acmeInvoice());

    const [received] = await s.waitForMessages(1);
    expect(s.authAttempts).toEqual([expect.objectContaining({ method, username: 'facturas@acme.test', ok: true, secure: true })]);
    expect(received.secure).toBe(true);
    expect(received.user).toBe('facturas@acme.test');
    expect(result.response).toMatch(/^250 /);
    expect(result.recipients).toEqual([{ email: 'cliente@example.test', accepted: true, response: result.response, responseCode: 250 }]);
  });

  it('delivers over implicit TLS (465-style)', async () => {
    const s = await sink({ tls: 'implicit', auth: { users: USERS } });
    const t = transport(s, { tls: true });
    expect(t.kind).toBe('smtp');
    await t.send(acmeInvoice());
    const [received] = await s.waitForMessages(1);
    expect(s.connections[0].secureAtConnect).toBe(true);
    expect(received.secure).toBe(true);
  });

  it('sends the headers as given, BCC only in the envelope, and the PDF byte for byte', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS } });
    const email = acmeInvoice({
      cc: [{ email: 'copia@example.test' }],
      bcc: [{ email: 'archivo@acme.test', name: 'Archivo' }],
    });
    const result = await transport(s).send(email);

    const [received] = await s.waitForMessages(1);
    const parsed = received.parsed;
    expect(parsed.from?.value).toEqual([{ address: 'facturas@acme.test', name: 'Acme Facturación, S.L.' }]);
    expect(parsed.replyTo?.value).toEqual([{ address: 'contabilidad@acme.test', name: 'Contabilidad' }]);
    expect(parsed.messageId).toBe(email.messageId);
    expect(result.messageId).toBe(email.messageId);
    expect(parsed.headers.get('x-mailroom-email-id')).toBe(email.emailId);
    expect(parsed.subject).toBe('Factura F-2024/0042 — Acme');
    expect(parsed.text?.trim()).toBe(email.text);
    expect(parsed.html).toContain('<b>F-2024/0042</b>');
    expect(parsed.cc).toMatchObject({ value: [{ address: 'copia@example.test' }] });

    expect(received.envelope).toEqual({
      mailFrom: 'facturas@acme.test',
      rcptTo: ['cliente@example.test', 'copia@example.test', 'archivo@acme.test'],
    });
    expect(parsed.bcc).toBeUndefined();
    expect(received.raw.toString('latin1')).not.toMatch(/^bcc:/im);
    expect(received.raw.toString('latin1')).not.toContain('archivo@acme.test');

    expect(parsed.attachments).toHaveLength(1);
    expect(parsed.attachments[0].filename).toBe('F-2024-0042.pdf');
    expect(parsed.attachments[0].contentType).toBe('application/pdf');
    expect(Buffer.compare(parsed.attachments[0].content, samplePdfBytes())).toBe(0);
    expect(result.recipients.map((r) => [r.email, r.accepted])).toEqual([
      ['cliente@example.test', true],
      ['copia@example.test', true],
      ['archivo@acme.test', true],
    ]);
  });

  it('keeps a text/plain attachment byte for byte, line endings included', async () => {
    const s = await sink({ tls: 'implicit' });
    const csv = Buffer.from('a;b\r\n1;2\n3;4\r\n.\r\nend', 'utf8');
    await transport(s, { tls: true, username: undefined }).send(
      acmeInvoice({ attachments: [{ filename: 'lineas.csv', contentType: 'text/plain', content: csv }] }),
    );
    const [received] = await s.waitForMessages(1);
    expect(Buffer.compare(received.parsed.attachments[0].content, csv)).toBe(0);
  });

  it('reports each recipient: one refused at RCPT TO, the other accepted and delivered', async () => {
    const s = await sink({
      tls: 'starttls',
      auth: { users: USERS },
      rejectRecipients: { 'nadie@example.test': '550 5.1.1 <nadie@example.test>: Recipient address rejected: User unknown' },
    });
    const result = await transport(s).send(acmeInvoice({ to: [{ email: 'cliente@example.test' }, { email: 'nadie@example.test' }] }));

    expect(result.recipients).toEqual([
      expect.objectContaining({ email: 'cliente@example.test', accepted: true, responseCode: 250 }),
      {
        email: 'nadie@example.test',
        accepted: false,
        responseCode: 550,
        response: '550 5.1.1 <nadie@example.test>: Recipient address rejected: User unknown',
      },
    ]);
    const [received] = await s.waitForMessages(1);
    expect(received.envelope.rcptTo).toEqual(['cliente@example.test']);
  });

  it('reuses pooled connections: five sends, one connection, one login', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS } });
    const t = transport(s, { pool: { maxConnections: 1 } });
    for (let i = 0; i < 5; i += 1) await t.send(acmeInvoice());

    await s.waitForMessages(5);
    expect(s.connections).toHaveLength(1);
    expect(s.authAttempts).toHaveLength(1);
    expect(new Set(s.messages.map((m) => m.connectionId)).size).toBe(1);
  });

  it('opens at most maxConnections for concurrent sends, and a fresh one after maxMessages', async () => {
    const s = await sink({ tls: 'implicit' });
    const concurrent = transport(s, { tls: true, username: undefined, pool: { maxConnections: 2 } });
    await Promise.all(Array.from({ length: 5 }, () => concurrent.send(acmeInvoice())));
    expect(s.messages).toHaveLength(5);
    expect(s.connections.length).toBeLessThanOrEqual(2);

    s.clear();
    const recycled = transport(s, { tls: true, username: undefined, pool: { maxConnections: 1, maxMessages: 2 } });
    for (let i = 0; i < 5; i += 1) await recycled.send(acmeInvoice());
    expect(s.connections).toHaveLength(3);
  });

  it('verify() logs in without sending anything', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS } });
    await expect(transport(s).verify()).resolves.toBeUndefined();
    expect(s.authAttempts).toEqual([expect.objectContaining({ ok: true, secure: true })]);
    expect(s.messages).toHaveLength(0);
  });

  it.each([
    ['debug', true],
    ['info', false],
  ] as const)("hands nodemailer's own lines to the logger only when it writes debug (level %s)", async (level, expected) => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS } });
    const lines: object[] = [];
    const record = (obj: object) => void lines.push(obj);
    const logger = {
      debug: record,
      info: record,
      warn: record,
      error: record,
      isLevelEnabled: (l: string) => l !== 'debug' || level === 'debug',
    };
    await transport(s, { logger, tenantId: 'tn_acme' }).send(acmeInvoice());
    await s.waitForMessages(1);
    // nodemailer's entries carry its `tnx` (and its own component: mail, smtp-pool, smtp-connection).
    const fromNodemailer = lines.filter((l) => 'tnx' in l);
    expect(fromNodemailer.length > 0).toBe(expected);
    // The transport's own line is written either way (pino drops it below its level).
    expect(lines).toContainEqual(expect.objectContaining({ emailId: 'em_01', transport: 'smtp' }));
  });
});
