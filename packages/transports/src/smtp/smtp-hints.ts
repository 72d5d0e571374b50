import { HintFields, hintOf, hintPromisingRetry } from '@mailroom/domain';
import type { SmtpPreset } from './smtp-presets';

/**
 * What a tenant's admin should do about an SMTP failure, in words they understand. Keyed by the
 * provider (from the preset, or recognised from the host) and by what the server said. Pure: no I/O.
 */

/** The facts of a failure, as nodemailer reports them (see classify-smtp-error.ts). */
export interface SmtpFailureFacts {
  code: string;
  responseCode?: number;
  response?: string;
  command?: string;
  /** The socket-level code under ESOCKET/EDNS (ECONNREFUSED, ERR_TLS_CERT_ALTNAME_INVALID...). */
  originalCode?: string;
  timeoutType?: string;
}

/** Where we were trying to send. */
export interface SmtpEndpointContext {
  preset?: SmtpPreset;
  host: string;
  port: number;
  /** true: implicit TLS; false: STARTTLS required; 'optional'/'none': the platform's local relay. */
  tls: boolean | 'optional' | 'none';
}

export type SmtpProvider = 'gmail' | 'outlook' | 'ionos' | 'other';

/** The preset when there is one, else recognised from the host (a tenant may pick "other" for Gmail). */
export function smtpProviderOf(ctx: Pick<SmtpEndpointContext, 'preset' | 'host'>): SmtpProvider {
  if (ctx.preset && ctx.preset !== 'other') return ctx.preset;
  const host = ctx.host.toLowerCase();
  if (/(^|\.)(gmail|googlemail)\.com$/.test(host)) return 'gmail';
  if (/(^|\.)(office365|outlook)\.com$/.test(host)) return 'outlook';
  if (/(^|\.)ionos\.[a-z.]+$/.test(host)) return 'ionos';
  return 'other';
}

/** Node's and OpenSSL's codes for a certificate the client does not trust. */
export const CERTIFICATE_ERROR_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_UNTRUSTED',
  'CERT_REVOKED',
  'CERT_SIGNATURE_FAILURE',
  'HOSTNAME_MISMATCH',
]);

/** TLS spoken to a port that starts in plaintext (or the reverse): a setting, not a passing fault. */
export const TLS_MISMATCH_CODES = new Set(['ERR_SSL_WRONG_VERSION_NUMBER', 'ERR_SSL_PACKET_LENGTH_TOO_LONG', 'ERR_SSL_HTTP_REQUEST']);

const MICROSOFT_AUTH_DISABLED = /\b5\.7\.(139|30)\b|SmtpClientAuthentication|basic authentication is (not supported|disabled)/i;
const SENDER_NOT_ALLOWED = /sender address is not allowed/i;
const GMAIL_APP_PASSWORD = /\b5\.7\.(8|9)\b|application-specific password|username and password not accepted/i;

export const SMTP_HINTS = {
  gmailAppPassword: hintOf(
    'smtp.gmailAppPassword',
    'Gmail refused the login. Use a 16-character app password (Google Account > Security > 2-Step Verification > App passwords; 2-Step Verification must be on), not the account password, and the full Gmail address as the username.',
  ),
  microsoftSmtpAuthDisabled: hintOf(
    'smtp.microsoftSmtpAuthDisabled',
    'Microsoft 365 refused the password login: basic authentication (SMTP AUTH with a password) is disabled for this mailbox or organisation, as Microsoft is switching it off. Connect the mailbox with Microsoft (OAuth) in the email settings instead, choosing Microsoft Graph if the organisation has turned SMTP off altogether; an administrator can also enable "Authenticated SMTP" for the mailbox meanwhile.',
  ),
  outlookLogin: hintOf(
    'smtp.outlookLogin',
    'Microsoft 365 refused the login. Check the username (the mailbox address) and the password; if they are right, an administrator must enable "Authenticated SMTP" for this mailbox.',
  ),
  ionosSender: hintOf(
    'smtp.ionosSender',
    'IONOS does not allow this From address: it must be a mailbox of a domain in your IONOS contract, normally the same address you log in with.',
  ),
  senderRefused: hintOf(
    'smtp.senderRefused',
    'The server does not allow sending as this From address: use the mailbox you log in with, or an alias the server allows for it.',
  ),
  badLogin: hintOf(
    'smtp.badLogin',
    'The server rejected the username or password: check both (the username is usually the full email address).',
  ),
  loginRequired: hintOf('smtp.loginRequired', 'The server requires a login: fill in the username and password.'),
  noStartTls: hintOf(
    'smtp.noStartTls',
    'The server does not offer STARTTLS on this port, so nothing was sent (the password would have travelled unencrypted). Use port 465 with TLS on.',
  ),
  tlsMismatch: hintOf(
    'smtp.tlsMismatch',
    'TLS is on but this port starts unencrypted: turn TLS off for port 587 (STARTTLS is then required), or use port 465 with TLS on.',
  ),
  untrustedCertificate: hintOf(
    'smtp.untrustedCertificate',
    "The server's TLS certificate is not trusted (wrong host name, self-signed or expired). Check that the host is exactly the one your provider gives; otherwise the server's administrator must install a valid certificate.",
  ),
  recipientRefused: hintOf('smtp.recipientRefused', "The recipient's address was refused by the server: check it for typos."),
  messageTooLarge: hintOf('smtp.messageTooLarge', 'The message is too large for this server: send fewer or smaller attachments.'),
} as const;

/** The hints of temporary failures: each promises the retry, and reads without it when nothing will retry. */
export const SMTP_RETRIED_HINTS = {
  loginLater: hintPromisingRetry('smtp.loginLater', 'The server could not check the login just now', 'the email will be tried again.', {
    joiner: '; ',
  }),
  tryLater: hintPromisingRetry('smtp.tryLater', 'The server is busy or limiting connections', 'the email will be retried automatically.', {
    joiner: '; ',
  }),
  connectionLost: hintPromisingRetry(
    'smtp.connectionLost',
    'The connection closed before the server confirmed the message',
    'the email will be retried.',
    { joiner: '; ' },
  ),
  stoppedAnswering: hintPromisingRetry(
    'smtp.stoppedAnswering',
    'The server stopped answering before it confirmed the message. If it had the whole message it may deliver it, so the recipient may get it twice',
    'the email will be retried.',
    { joiner: '; ' },
  ),
  rateLimited: hintPromisingRetry(
    'smtp.rateLimited',
    'The server says this account is sending too fast',
    'the email waits and is tried again later, without using up its attempts.',
  ),
} as const;

/** What to tell the admin about a failure: a hint of the catalogues above (or one naming the host), or none. */
export function smtpHint(facts: SmtpFailureFacts, ctx: SmtpEndpointContext): HintFields | undefined {
  const provider = smtpProviderOf(ctx);
  const said = facts.response ?? '';
  const where = `${ctx.host}:${ctx.port}`;
  const replyClass = facts.responseCode ? Math.floor(facts.responseCode / 100) : undefined;

  if (MICROSOFT_AUTH_DISABLED.test(said)) return SMTP_HINTS.microsoftSmtpAuthDisabled;
  if (SENDER_NOT_ALLOWED.test(said)) return SMTP_HINTS.ionosSender;

  switch (facts.code) {
    case 'EAUTH':
      if (replyClass === 4) return SMTP_RETRIED_HINTS.loginLater;
      if (provider === 'gmail' && (facts.responseCode === 535 || facts.responseCode === 534 || GMAIL_APP_PASSWORD.test(said)))
        return SMTP_HINTS.gmailAppPassword;
      if (provider === 'outlook') return SMTP_HINTS.outlookLogin;
      return SMTP_HINTS.badLogin;
    case 'ENOAUTH':
      return SMTP_HINTS.loginRequired;
    case 'ETLS':
    case 'EREQUIRETLS':
      return SMTP_HINTS.noStartTls;
    case 'EDNS':
      return hintOf('smtp.hostNotFound', `The host name "${ctx.host}" could not be found: check it for typos.`, { host: ctx.host });
    case 'ETIMEDOUT':
      // Connected and greeted, then silent: the session may have been past the message (decision 0078).
      if (facts.timeoutType === 'SOCKET_TIMEOUT') return SMTP_RETRIED_HINTS.stoppedAnswering;
      if (ctx.tls === false && ctx.port === 465)
        return hintOf('smtp.port465NeedsTls', `${where} did not greet us: port 465 expects TLS from the first byte, so turn TLS on.`, {
          where,
        });
      return hintOf(
        'smtp.noAnswer',
        `${where} did not answer in time: check the host and port, and that outgoing connections to this port are allowed.`,
        { where },
      );
    case 'ECONNECTION':
      return SMTP_RETRIED_HINTS.connectionLost;
    case 'ESOCKET':
      if (facts.originalCode && CERTIFICATE_ERROR_CODES.has(facts.originalCode)) return SMTP_HINTS.untrustedCertificate;
      if (facts.originalCode && TLS_MISMATCH_CODES.has(facts.originalCode)) return SMTP_HINTS.tlsMismatch;
      if (facts.originalCode === 'ECONNREFUSED')
        return hintOf(
          'smtp.connectionRefused',
          `Nothing accepts connections on ${where}: check the host and port (465 with TLS on, or 587 with TLS off).`,
          { where },
        );
      if (facts.originalCode === 'ETIMEDOUT' || facts.originalCode === 'EHOSTUNREACH' || facts.originalCode === 'ENETUNREACH')
        return hintOf('smtp.unreachable', `${where} cannot be reached: check the host and port.`, { where });
      return SMTP_RETRIED_HINTS.connectionLost;
  }

  if (replyClass === 4 || facts.responseCode === 503) return SMTP_RETRIED_HINTS.tryLater;
  if (replyClass === 5) {
    if (facts.command === 'MAIL FROM' && /\b5\.7\.\d+\b|not (allowed|authori[sz]ed|permitted)|relay/i.test(said))
      return provider === 'ionos' ? SMTP_HINTS.ionosSender : SMTP_HINTS.senderRefused;
    if (facts.command === 'RCPT TO') return SMTP_HINTS.recipientRefused;
    if (facts.responseCode === 552 || /\b5\.3\.4\b|too (big|large)|size/i.test(said)) return SMTP_HINTS.messageTooLarge;
  }
  return undefined;
}
