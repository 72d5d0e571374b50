import { DeliveryError } from '@mailroom/domain';
import {
  classifySmtpError,
  describeSmtpFailure,
  isPermanentSmtpFailure,
  NodemailerFailure,
  SmtpFailureContext,
} from './classify-smtp-error';
import { SMTP_HINTS, SMTP_RETRIED_HINTS, smtpProviderOf } from './smtp-hints';

/** Error shapes as nodemailer 10.6 produces them against a scripted server (contracts.md 4.3). */
const observed: Record<string, NodemailerFailure> = {
  auth535: {
    code: 'EAUTH',
    responseCode: 535,
    response: '535 5.7.8 Username and Password not accepted',
    command: 'AUTH PLAIN',
    permanent: true,
    message: 'Invalid login: 535 5.7.8 Username and Password not accepted',
  },
  auth454: {
    code: 'EAUTH',
    responseCode: 454,
    response: '454 4.7.0 Temporary authentication failure',
    command: 'AUTH PLAIN',
    permanent: false,
    message: 'Invalid login: 454 4.7.0 Temporary authentication failure',
  },
  greet421: {
    code: 'EPROTOCOL',
    responseCode: 421,
    response: '421 4.3.2 Service not available, closing channel',
    command: 'CONN',
    permanent: false,
    message: 'Invalid greeting',
  },
  mail421: {
    code: 'EENVELOPE',
    responseCode: 421,
    response: '421 4.7.0 Too many connections, try later',
    command: 'MAIL FROM',
    permanent: false,
    message: 'Mail command failed',
  },
  data451: {
    code: 'EMESSAGE',
    responseCode: 451,
    response: '451 4.7.1 Temporary local problem, try again later',
    command: 'DATA',
    permanent: false,
    message: 'Message failed',
  },
  data554: {
    code: 'EMESSAGE',
    responseCode: 554,
    response: '554 5.7.1 Message rejected as spam',
    command: 'DATA',
    permanent: true,
    message: 'Message failed',
  },
  silent: { code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'GREETING_TIMEOUT', message: 'Greeting never received' },
  stalled: { code: 'ETIMEDOUT', command: 'CONN', timeoutType: 'SOCKET_TIMEOUT', message: 'Timeout' },
  refused: { code: 'ESOCKET', command: 'CONN', originalCode: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:1' },
  reset: { code: 'ESOCKET', command: 'CONN', originalCode: 'ECONNRESET', message: 'read ECONNRESET' },
  dns: { code: 'EDNS', command: 'CONN', originalCode: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND smtp.example.invalid' },
  requireTLS: {
    code: 'ETLS',
    responseCode: 502,
    response: '502 5.5.2 Error: command not recognized',
    command: 'STARTTLS',
    permanent: true,
    message: 'Error upgrading connection with STARTTLS',
  },
  requireTlsExtension: { code: 'EREQUIRETLS', command: 'MAIL FROM', message: 'Server does not support REQUIRETLS' },
  config: { code: 'ECONFIG', message: 'Invalid configuration' },
  noAuth: { code: 'ENOAUTH', command: 'API', message: 'Missing credentials for "PLAIN"' },
  dropped: { code: 'ECONNECTION', command: 'CONN', message: 'Connection closed unexpectedly' },
};

const gmail: SmtpFailureContext = { preset: 'gmail', host: 'smtp.gmail.com', port: 465, tls: true, secrets: ['s3cret-pass'] };
const other: SmtpFailureContext = { preset: 'other', host: 'mail.example.com', port: 587, tls: false };

describe('classifySmtpError', () => {
  it.each([
    ['auth535', false],
    ['auth454', true],
    ['greet421', true],
    ['mail421', true],
    ['data451', true],
    ['data554', false],
    ['silent', true],
    ['stalled', true],
    ['refused', true],
    ['reset', true],
    ['dns', true],
    ['requireTLS', false],
    ['requireTlsExtension', false],
    ['config', false],
    ['noAuth', false],
    ['dropped', true],
  ])('%s -> retryable %s', (name, retryable) => {
    const error = classifySmtpError(observed[name], other);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      code: observed[name].code,
      retryable,
      responseCode: observed[name].responseCode,
      response: observed[name].response,
    });
  });

  it('computes permanence from the reply code when nodemailer did not say (before 10.2)', () => {
    expect(isPermanentSmtpFailure({ code: 'EMESSAGE', responseCode: 552 })).toBe(true);
    expect(isPermanentSmtpFailure({ code: 'EMESSAGE', responseCode: 503 })).toBe(false);
    expect(isPermanentSmtpFailure({ code: 'EENVELOPE', responseCode: 450 })).toBe(false);
  });

  it('trusts nodemailer: 503 is temporary even though it is a 5xx', () => {
    expect(
      classifySmtpError({ code: 'EENVELOPE', responseCode: 503, permanent: false, response: '503 5.5.1 Bad sequence of commands' }, other)
        .retryable,
    ).toBe(true);
  });

  it('cuts the password (and its base64) out of everything it reports', () => {
    const leaky: NodemailerFailure = {
      code: 'EAUTH',
      responseCode: 535,
      command: 'AUTH LOGIN',
      response: `535 5.7.8 bad credentials for s3cret-pass (${Buffer.from('s3cret-pass').toString('base64')})`,
      message: 'Invalid login with s3cret-pass',
    };
    const error = classifySmtpError(leaky, gmail);
    const text = JSON.stringify({ ...error, message: error.message });
    expect(text).not.toContain('s3cret-pass');
    expect(text).not.toContain(Buffer.from('s3cret-pass').toString('base64'));
    expect(error.response).toContain('[redacted]');
  });

  it('describeSmtpFailure gives the same facts as plain data, for a test-email answer', () => {
    expect(describeSmtpFailure(observed.auth535, gmail)).toEqual({
      message: 'SMTP login failed: Invalid login: 535 5.7.8 Username and Password not accepted',
      code: 'EAUTH',
      retryable: false,
      responseCode: 535,
      response: '535 5.7.8 Username and Password not accepted',
      ...SMTP_HINTS.gmailAppPassword,
      rejectedRecipients: undefined,
    });
  });

  it('marks a temporary reply about the sender’s rate as rateLimited, and nothing else', () => {
    const rate = (responseCode: number, response: string, extra: Partial<NodemailerFailure> = {}) =>
      classifySmtpError({ code: 'EENVELOPE', command: 'MAIL FROM', responseCode, response, ...extra }, other).rateLimited;
    expect(rate(421, '421-4.7.28 [192.0.2.1] Our system has detected an unusual rate of unsolicited mail')).toBe(true);
    expect(rate(421, '421 4.7.0 Try again later, closing connection. (MAIL) - gsmtp')).toBe(true);
    expect(rate(450, '450 4.5.127 Message submission rate for this client has exceeded the configured limit')).toBe(true);
    expect(rate(451, '451 4.7.1 Too many messages from this sender, slow down')).toBe(true);
    expect(rate(451, '451 Throttling: try later')).toBe(true);
    expect(classifySmtpError(observed.mail421, other)).toMatchObject({ retryable: true, rateLimited: true });
    expect(rate(451, '451 4.7.1 Temporary local problem, try again later')).toBeUndefined();
    expect(rate(452, '452 4.2.2 The email account that you tried to reach is over quota')).toBeUndefined();
    expect(rate(550, '550 5.4.5 Daily user sending rate limit exceeded', { permanent: true })).toBeUndefined();
    expect(classifySmtpError(observed.greet421, other).rateLimited).toBeUndefined();
    // Every recipient refused for a rate (Gmail's per-recipient 450 4.2.1).
    const everyone = {
      code: 'EENVELOPE',
      command: 'RCPT TO',
      rejectedErrors: [
        {
          recipient: 'a@x.test',
          responseCode: 450,
          response:
            '450-4.2.1 The user you are trying to contact is receiving mail at a rate that prevents additional messages from being delivered',
        },
      ],
    };
    expect(classifySmtpError(everyone, other)).toMatchObject({ retryable: true, rateLimited: true });
  });

  it('copes with something that is not an error object', () => {
    expect(classifySmtpError('socket hang up', other)).toMatchObject({ code: 'ESMTP', retryable: true });
  });
});

describe('SMTP hints', () => {
  const hintOf = (name: string, ctx: SmtpFailureContext) => classifySmtpError(observed[name], ctx).hint;

  it('knows the provider from the preset, or from the host when the preset is "other"', () => {
    expect(smtpProviderOf({ preset: 'other', host: 'smtp.gmail.com' })).toBe('gmail');
    expect(smtpProviderOf({ preset: 'other', host: 'SMTP.Office365.com' })).toBe('outlook');
    expect(smtpProviderOf({ preset: 'other', host: 'smtp.ionos.de' })).toBe('ionos');
    expect(smtpProviderOf({ host: 'mail.example.com' })).toBe('other');
    expect(hintOf('auth535', { ...other, host: 'smtp.gmail.com' })).toBe(SMTP_HINTS.gmailAppPassword.hint);
  });

  it('gives each failure words an admin can act on', () => {
    expect(hintOf('auth535', other)).toBe(SMTP_HINTS.badLogin.hint);
    expect(hintOf('auth535', { ...other, preset: 'outlook' })).toBe(SMTP_HINTS.outlookLogin.hint);
    expect(hintOf('auth454', gmail)).toBe(SMTP_RETRIED_HINTS.loginLater.hint);
    expect(hintOf('requireTLS', other)).toBe(SMTP_HINTS.noStartTls.hint);
    expect(hintOf('requireTlsExtension', other)).toBe(SMTP_HINTS.noStartTls.hint);
    expect(hintOf('noAuth', other)).toBe(SMTP_HINTS.loginRequired.hint);
    expect(hintOf('dns', other)).toMatch(/"mail\.example\.com" could not be found/);
    expect(hintOf('silent', { ...other, port: 465, tls: false })).toMatch(/port 465 expects TLS/);
    expect(hintOf('silent', other)).toMatch(/did not answer in time: check the host and port/);
    // Silent after the session began: it may have had the whole message, and the history says so.
    expect(hintOf('stalled', other)).toBe(SMTP_RETRIED_HINTS.stoppedAnswering.hint);
    expect(hintOf('stalled', other)).toMatch(/may get it twice; the email will be retried\.$/);
    expect(hintOf('greet421', other)).toBe(SMTP_RETRIED_HINTS.tryLater.hint);
    expect(hintOf('data554', other)).toBeUndefined();
  });

  it('recognises Microsoft and IONOS by their words whatever the preset', () => {
    const ms = { code: 'EAUTH', responseCode: 550, response: '550 5.7.30 Basic authentication is not supported for Client Submission' };
    expect(classifySmtpError(ms, other).hint).toBe(SMTP_HINTS.microsoftSmtpAuthDisabled.hint);
    const ionos = { code: 'EENVELOPE', command: 'MAIL FROM', responseCode: 550, response: '550 Sender address is not allowed' };
    expect(classifySmtpError(ionos, other).hint).toBe(SMTP_HINTS.ionosSender.hint);
    const relay = {
      code: 'EENVELOPE',
      command: 'MAIL FROM',
      responseCode: 553,
      response: '553 5.7.1 Sender address rejected: not owned by user',
    };
    expect(classifySmtpError(relay, other).hint).toBe(SMTP_HINTS.senderRefused.hint);
    expect(classifySmtpError(relay, { ...other, preset: 'ionos' }).hint).toBe(SMTP_HINTS.ionosSender.hint);
  });
});
