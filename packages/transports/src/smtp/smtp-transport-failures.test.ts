import { DeliveryError } from '@mailroom/domain';
import { refusingPort, selfSignedCertificate, startSilentServer } from '@mailroom/testkit';
import { acmeInvoice, failureOf } from '../../test/outgoing-message.fixture';
import { FAST_TIMEOUTS, LOCAL_SMTP_HOSTS, smtpTestBench } from '../../test/smtp-test-bench';
import { SMTP_HINTS, SMTP_RETRIED_HINTS } from './smtp-hints';
import { SmtpConnectionOptions, SmtpTransport } from './smtp-transport';

const USER = 'facturas@acme.test';
const PASSWORD = 'correct-horse-battery';
const USERS = { [USER]: PASSWORD };

describe('SmtpTransport failures are DeliveryErrors that decide the retry', () => {
  const bench = smtpTestBench();
  const sink = bench.sink;
  function transport(target: { host: string; port: number }, options: Partial<SmtpConnectionOptions> = {}) {
    return bench.transport(
      new SmtpTransport({
        host: target.host,
        port: target.port,
        tls: false,
        username: USER,
        password: PASSWORD,
        timeouts: FAST_TIMEOUTS,
        hostGuard: LOCAL_SMTP_HOSTS,
        ...options,
      }),
    );
  }
  /** The DeliveryError sending the invoice through `t` rejects with. */
  const failureOfSending = (t: SmtpTransport) => failureOf(t.send(acmeInvoice()));

  it('never falls back to plaintext: no STARTTLS offered + tls:false is a permanent ETLS, no login, nothing sent', async () => {
    const s = await sink({ tls: 'none', auth: { users: USERS } });
    const error = await failureOfSending(transport(s, { tls: false }));

    expect(error).toMatchObject({ code: 'ETLS', retryable: false, ...SMTP_HINTS.noStartTls });
    expect(s.authAttempts).toEqual([]);
    expect(s.messages).toEqual([]);
  });

  it('535 from Gmail: permanent EAUTH with the app-password hint, and the password nowhere in the error', async () => {
    const s = await sink({ tls: 'implicit', auth: { users: { [USER]: 'the-real-app-password' } } });
    const error = await failureOfSending(transport(s, { tls: true, preset: 'gmail' }));

    expect(error).toMatchObject({
      code: 'EAUTH',
      retryable: false,
      responseCode: 535,
      response: '535 5.7.8 Username and Password not accepted',
      ...SMTP_HINTS.gmailAppPassword,
    });
    const everything = JSON.stringify({ ...error, message: error.message, stack: error.stack });
    expect(everything).not.toContain(PASSWORD);
    expect(everything).not.toContain(Buffer.from(PASSWORD).toString('base64'));
  });

  it('535 elsewhere: permanent EAUTH that says to check the username and password', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: 'other' } } });
    const error = await failureOfSending(transport(s, { preset: 'other' }));
    expect(error).toMatchObject({ code: 'EAUTH', retryable: false, responseCode: 535, ...SMTP_HINTS.badLogin });
  });

  it.each([
    ['535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox.', 535],
    ['550 5.7.30 Basic authentication is not supported for Client Submission.', 550],
  ])('Office 365 "%s": permanent, and the hint says to connect with Microsoft (OAuth) and Graph', async (failureReply, responseCode) => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: 'x' }, failureReply } });
    const error = await failureOfSending(transport(s, { preset: 'outlook' }));
    expect(error).toMatchObject({
      code: 'EAUTH',
      retryable: false,
      responseCode,
      response: failureReply,
      ...SMTP_HINTS.microsoftSmtpAuthDisabled,
    });
    expect(error.hint).toMatch(/Connect the mailbox with Microsoft \(OAuth\).*Microsoft Graph/);
  });

  it('"Sender address is not allowed": permanent, with the IONOS hint', async () => {
    const s = await sink({ tls: 'implicit', auth: { users: USERS }, rejectMailFrom: '550 5.7.1 Sender address is not allowed' });
    const error = await failureOfSending(transport(s, { tls: true, preset: 'ionos' }));
    expect(error).toMatchObject({ code: 'EENVELOPE', retryable: false, responseCode: 550, ...SMTP_HINTS.ionosSender });
    expect(s.messages).toEqual([]);
  });

  it('421 at the greeting is temporary; the same transport delivers once the server behaves', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS }, greet421Times: 1 });
    const t = transport(s);
    const error = await failureOfSending(t);
    expect(error).toMatchObject({ code: 'EPROTOCOL', retryable: true, responseCode: 421, ...SMTP_RETRIED_HINTS.tryLater });

    await t.send(acmeInvoice());
    expect(s.messages).toHaveLength(1);
    expect(s.connections.map((c) => c.refused)).toEqual([true, false]);
  });

  it('a refused port is temporary and says to check host and port', async () => {
    const port = await refusingPort();
    const error = await failureOfSending(transport({ host: '127.0.0.1', port }));
    expect(error).toMatchObject({ code: 'ESOCKET', retryable: true });
    expect(error.hint).toContain(`127.0.0.1:${port}`);
    expect(error.hint).toMatch(/check the host and port/);
  });

  it('a server that never greets times out (temporary) within the injected timeout', async () => {
    const silent = await startSilentServer();
    bench.server(silent);
    const started = Date.now();
    const error = await failureOfSending(transport(silent, { timeouts: { ...FAST_TIMEOUTS, greetingMs: 300 } }));
    expect(error).toMatchObject({ code: 'ETIMEDOUT', retryable: true });
    expect(error.hint).toMatch(/did not answer in time/);
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('a connection dropped mid-DATA is temporary, and the next attempt delivers', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS }, dropDuringData: 1 });
    const t = transport(s);
    const error = await failureOfSending(t);
    expect(error).toMatchObject({ code: 'ECONNECTION', retryable: true, ...SMTP_RETRIED_HINTS.connectionLost });
    expect(s.droppedDuringData).toBe(1);
    expect(s.messages).toEqual([]);

    await t.send(acmeInvoice());
    expect(s.messages).toHaveLength(1);
  });

  it('every recipient refused: permanent for 550, temporary for 452, with each refusal', async () => {
    const s = await sink({
      tls: 'implicit',
      rejectRecipients: {
        'nadie@example.test': '550 5.1.1 <nadie@example.test>: User unknown',
        'lleno@example.test': '452 4.2.2 Mailbox full',
      },
    });
    const t = transport(s, { tls: true, username: undefined });
    const permanent = await t.send(acmeInvoice({ to: [{ email: 'nadie@example.test' }] })).catch((e: DeliveryError) => e);
    expect(permanent).toMatchObject({
      code: 'EENVELOPE',
      retryable: false,
      ...SMTP_HINTS.recipientRefused,
      rejectedRecipients: [{ email: 'nadie@example.test', responseCode: 550, response: '550 5.1.1 <nadie@example.test>: User unknown' }],
    });
    const temporary = await t.send(acmeInvoice({ to: [{ email: 'lleno@example.test' }] })).catch((e: DeliveryError) => e);
    expect(temporary).toMatchObject({
      code: 'EENVELOPE',
      retryable: true,
      rejectedRecipients: [{ email: 'lleno@example.test', responseCode: 452 }],
    });
  });

  it.each([
    ['451 4.7.1 Temporary local problem, try again later', true],
    ['554 5.7.1 Message rejected as spam', false],
  ])('DATA answered "%s": retryable %s', async (onDataReply, retryable) => {
    const s = await sink({ tls: 'implicit', onDataReply });
    const error = await failureOfSending(transport(s, { tls: true, username: undefined }));
    expect(error).toMatchObject({ code: 'EMESSAGE', retryable, response: onDataReply });
    expect(s.refusedMessages).toHaveLength(1);
  });

  it('an untrusted certificate is permanent and never skipped', async () => {
    const s = await sink({ tls: 'implicit', certificate: selfSignedCertificate() });
    const error = await failureOfSending(transport(s, { tls: true, username: undefined }));
    expect(error).toMatchObject({ code: 'ESOCKET', retryable: false, ...SMTP_HINTS.untrustedCertificate });
    expect(s.messages).toEqual([]);
  });

  it('TLS on against a port that starts in plaintext is permanent with the port/TLS hint', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS } });
    const error = await failureOfSending(transport(s, { tls: true }));
    expect(error).toMatchObject({ code: 'ESOCKET', retryable: false, ...SMTP_HINTS.tlsMismatch });
    expect(error.message).toMatch(/TLS handshake failed: wrong version number/);
  });

  it.each([
    ['Office 365 after DATA', { onDataReply: '450 4.5.127 Message submission rate for this client has exceeded the configured limit' }],
    ['Gmail on MAIL FROM', { rejectMailFrom: '421 4.7.28 Our system has detected an unusual rate of unsolicited mail' }],
    ['a generic throttle after DATA', { onDataReply: '451 4.7.1 Throttled: too many messages, try again later' }],
  ])('a rate-limit reply (%s) is temporary and marked rateLimited', async (_name, behaviour) => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS }, ...behaviour });
    const error = await failureOfSending(transport(s));
    expect(error).toMatchObject({ retryable: true, rateLimited: true });
    expect(error.hint).toMatch(/sending too fast/);
    expect(s.messages).toEqual([]);
  });

  it('a temporary reply that is not about a rate is an ordinary retry', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: USERS }, onDataReply: '452 4.2.2 The email account is over quota' });
    const error = await failureOfSending(transport(s));
    expect(error.retryable).toBe(true);
    expect(error.rateLimited).toBeUndefined();
  });

  it('verify() throws the same classified error as send()', async () => {
    const s = await sink({ tls: 'starttls', auth: { users: { [USER]: 'other' } } });
    await expect(transport(s, { preset: 'gmail' }).verify()).rejects.toMatchObject({
      name: 'DeliveryError',
      code: 'EAUTH',
      retryable: false,
      ...SMTP_HINTS.gmailAppPassword,
    });
  });
});
