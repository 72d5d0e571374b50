import MailComposer from 'nodemailer/lib/mail-composer';
import { GraphEmulator, GRAPH_MAIL_SEND_SCOPE, startGraphEmulator } from './graph-emulator';

const TOKENS: Record<string, { email: string; scopes: string[] }> = {
  good: { email: 'Facturas@contoso.test', scopes: ['openid', GRAPH_MAIL_SEND_SCOPE] },
  smtpOnly: { email: 'facturas@contoso.test', scopes: ['https://outlook.office.com/SMTP.Send'] },
};

/** A MIME message as a mail client would build it, Bcc header kept (Graph has no envelope). */
function mime(over: ConstructorParameters<typeof MailComposer>[0] = {}): Promise<Buffer> {
  const node = new MailComposer({
    from: 'Contoso <facturas@contoso.test>',
    to: 'cliente@example.test',
    bcc: 'archivo@contoso.test',
    subject: 'Factura 7',
    text: 'adjunta',
    messageId: '<em_7@contoso.test>',
    attachments: [{ filename: 'f7.pdf', content: Buffer.from('%PDF-1.4 siete'), contentType: 'application/pdf' }],
    ...over,
  }).compile();
  node.keepBcc = true;
  return node.build();
}

describe('Microsoft Graph emulator: POST /v1.0/me/sendMail (MIME)', () => {
  let graph: GraphEmulator;
  beforeAll(async () => {
    graph = await startGraphEmulator({
      tokenOwner: (t) => TOKENS[t],
      tokenIssued: (t) => t === 'expired',
      sendAs: { 'facturas@contoso.test': ['ventas@contoso.test'] },
    });
  });
  afterAll(() => graph.close());

  const send = (body: string | Buffer, token: string | null = 'good', contentType = 'text/plain') =>
    fetch(`${graph.url}/v1.0/me/sendMail`, {
      method: 'POST',
      headers: { 'content-type': contentType, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body,
    });
  const errorOf = async (res: Response) => ({ status: res.status, code: ((await res.json()) as { error: { code: string } }).error.code });

  it('answers 202 with no body and keeps the message parsed, Bcc among the recipients', async () => {
    const res = await send((await mime()).toString('base64'));
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    const [m] = graph.sent;
    expect(m.mailbox).toBe('Facturas@contoso.test');
    expect(m.parsed.subject).toBe('Factura 7');
    expect(m.parsed.messageId).toBe('<em_7@contoso.test>');
    expect(m.parsed.attachments[0]).toMatchObject({ filename: 'f7.pdf', contentType: 'application/pdf' });
    expect(m.recipients).toEqual(['cliente@example.test', 'archivo@contoso.test']);
  });

  it('refuses tokens as Graph does: 401 InvalidAuthenticationToken, 403 without Mail.Send', async () => {
    const body = (await mime()).toString('base64');
    expect(await errorOf(await send(body, null))).toEqual({ status: 401, code: 'InvalidAuthenticationToken' });
    const expired = await send(body, 'expired');
    expect(expired.headers.get('www-authenticate')).toMatch(/^Bearer /);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/Lifetime validation failed/);
    expect(await errorOf(await send(body, 'garbage'))).toEqual({ status: 401, code: 'InvalidAuthenticationToken' });
    expect(await errorOf(await send(body, 'smtpOnly'))).toEqual({ status: 403, code: 'ErrorAccessDenied' });
  });

  it('refuses a body that is not base64 MIME, no recipients, and a From it may not send as', async () => {
    expect(await errorOf(await send('this is not base64!'))).toEqual({ status: 400, code: 'ErrorMimeContentInvalidBase64String' });
    expect(await errorOf(await send(Buffer.from('just some words, no headers').toString('base64')))).toEqual({
      status: 400,
      code: 'ErrorMimeContentInvalid',
    });
    expect(await errorOf(await send((await mime({ to: [], bcc: [] })).toString('base64')))).toEqual({
      status: 400,
      code: 'ErrorInvalidRecipients',
    });
    expect(await errorOf(await send((await mime({ from: 'jefe@contoso.test' })).toString('base64')))).toEqual({
      status: 403,
      code: 'ErrorSendAsDenied',
    });
    expect((await send((await mime({ from: 'ventas@contoso.test' })).toString('base64'))).status).toBe(202);
    expect(await errorOf(await send(JSON.stringify({ message: {} }), 'good', 'application/json'))).toEqual({
      status: 400,
      code: 'ErrorInvalidRequest',
    });
    expect(await errorOf(await send(Buffer.alloc(4 * 1024 * 1024 + 4, 65).toString()))).toEqual({ status: 413, code: 'BadRequest' });
  });

  it('throttles with 429 ApplicationThrottled and Retry-After, and 503 when told', async () => {
    graph.throttleNext(3);
    const throttled = await send((await mime()).toString('base64'));
    expect(throttled.status).toBe(429);
    expect(throttled.headers.get('retry-after')).toBe('3');
    expect(((await throttled.json()) as { error: { code: string } }).error.code).toBe('ApplicationThrottled');
    graph.unavailableNext(5);
    expect((await send((await mime()).toString('base64'))).status).toBe(503);
    expect((await send((await mime()).toString('base64'))).status).toBe(202);
  });
});
