import { isDeliveryError } from '@mailroom/domain';
import type { SmtpPreset } from './smtp-presets';
import { parseIpLiteral } from '@mailroom/security';
import nodemailer, { SMTPPoolOptions, SMTPPoolSentMessageInfo, Transporter } from 'nodemailer';
import type { OutgoingMessage, RecipientOutcome, SendResult, Transport } from '../transport';
import { classifySmtpError, describeSmtpFailure, SmtpFailureContext } from './classify-smtp-error';
import { installSmtpDataEncoder } from './smtp-data-encoder';
import type { SmtpHostGuard } from './smtp-host-guard';
import { SmtpOAuth2Options, SmtpXOAuth2Login } from './smtp-xoauth2-login';
import { composeSmtpMail } from './compose-smtp-mail';
import { submitSmtpMail } from './submit-smtp-mail';

/** A pino-compatible logger; the transport logs ids and codes, never passwords or bodies. */
export interface SmtpTransportLogger {
  debug(obj: object, msg?: string, ...args: unknown[]): void;
  info(obj: object, msg?: string, ...args: unknown[]): void;
  warn(obj: object, msg?: string, ...args: unknown[]): void;
  error(obj: object, msg?: string, ...args: unknown[]): void;
  /** pino's: whether a level is written (the app's LOG_LEVEL, fixed for the process's life). */
  isLevelEnabled?(level: string): boolean;
}

/**
 * How the connection is protected:
 * - `true`: implicit TLS from the first byte (usually 465);
 * - `false`: STARTTLS, and it is required: no STARTTLS, no login and no message (usually 587).
 * A tenant's settings only ever give one of these two (the domain schema holds booleans).
 * The platform's own relay may also use (see platform-transport-from-url.ts):
 * - `'optional'`: STARTTLS when the server offers it, plaintext otherwise (a relay on loopback);
 * - `'none'`: never TLS (a relay on a private network that an operator named explicitly).
 * Certificates are always verified; a private CA is trusted through NODE_EXTRA_CA_CERTS.
 */
export type SmtpTlsMode = boolean | 'optional' | 'none';

/** Where and how to connect, whoever the server belongs to. */
export interface SmtpConnectionOptions {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  username?: string;
  password?: string;
  /** Log in with XOAUTH2 (a connected Gmail or Microsoft 365 mailbox) instead of a password. */
  oauth2?: SmtpOAuth2Options;
  /** Picks the hints (Gmail app passwords, Microsoft SMTP AUTH...). */
  preset?: SmtpPreset;
  pool?: { maxConnections?: number; maxMessages?: number };
  timeouts?: { connectionMs?: number; greetingMs?: number; socketMs?: number };
  /** The EHLO name; nodemailer's default is this machine's host name. */
  name?: string;
  logger?: SmtpTransportLogger;
  /** The tenant whose server this is, on nodemailer's connection lines (the lines of a send name theirs themselves). */
  tenantId?: string;
}

/**
 * A tenant's own server (`kind: 'smtp'`, the default) is tenant input: every connection goes through
 * the SSRF guard, which resolves the host, refuses non-public addresses and connects to exactly the
 * address it checked. The platform's relay (`kind: 'platform'`, platformTransportFromUrl) is operator
 * configuration and connects directly.
 */
export type SmtpTransportOptions = SmtpConnectionOptions &
  ({ kind?: 'smtp'; hostGuard: SmtpHostGuard } | { kind: 'platform'; hostGuard?: undefined });

export const SMTP_DEFAULTS = {
  maxConnections: 2,
  maxMessages: 100,
  connectionMs: 15_000,
  greetingMs: 15_000,
  socketMs: 60_000,
} as const;

/**
 * Sends through one SMTP server with a nodemailer connection pool: connections (and their TLS
 * handshakes and logins) are reused across messages until `close()`. One instance per tenant and
 * settings version, never shared between tenants; the platform's own relay is the one exception (one
 * per worker, for every platform tenant: delivery's SharedPlatformTransport). Failures are
 * DeliveryErrors (classify-smtp-error.ts). The message's DATA is encoded by smtp-data-encoder.ts.
 */
export class SmtpTransport implements Transport {
  readonly kind: 'smtp' | 'platform';
  private readonly transporter: Transporter<SMTPPoolSentMessageInfo, SMTPPoolOptions>;
  private readonly failureContext: SmtpFailureContext;
  private readonly logger?: SmtpTransportLogger;
  private readonly xoauth2?: SmtpXOAuth2Login;

  constructor(options: SmtpTransportOptions) {
    this.kind = options.kind ?? 'smtp';
    this.logger = options.logger;
    this.xoauth2 = options.oauth2 ? new SmtpXOAuth2Login(options.oauth2) : undefined;
    this.failureContext = {
      preset: options.preset,
      host: options.host,
      port: options.port,
      tls: options.tls,
      secrets: options.password ? [options.password] : [],
    };
    this.transporter = nodemailer.createTransport(poolOptions(options, this.xoauth2));
    installSmtpDataEncoder();
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const ids = { tenantId: message.tenantId, emailId: message.emailId, transport: this.kind };
    let info: SMTPPoolSentMessageInfo;
    try {
      const mail = composeSmtpMail(message);
      const submit = () => submitSmtpMail(this.transporter, mail);
      info = this.xoauth2 ? await this.xoauth2.withToken(submit) : await submit();
    } catch (error) {
      const failure = this.classify(error);
      this.logger?.debug(
        { ...ids, code: failure.code, responseCode: failure.responseCode, retryable: failure.retryable },
        'SMTP send failed',
      );
      throw failure;
    }
    const recipients = recipientOutcomes(info, this.failureContext);
    this.logger?.debug(
      { ...ids, accepted: recipients.filter((r) => r.accepted).length, rejected: recipients.filter((r) => !r.accepted).length },
      'SMTP server took the email',
    );
    return {
      messageId: message.messageId,
      providerMessageId: info.serverMessageId,
      response: info.response,
      recipients,
    };
  }

  /** Connects, upgrades to TLS, logs in and says goodbye: what "test these settings" needs before a send. */
  async verify(): Promise<void> {
    try {
      await (this.xoauth2 ? this.xoauth2.withToken(() => this.transporter.verify()) : this.transporter.verify());
    } catch (error) {
      throw this.classify(error);
    }
  }

  /** Closes the pool: idle connections at once, busy ones after their current message. */
  close(): void {
    this.transporter.close();
  }

  private classify(error: unknown) {
    // The host guard's refusals are DeliveryErrors already (smtp-host-guard.ts).
    if (isDeliveryError(error)) return error;
    return this.xoauth2 ? this.xoauth2.classify(error, this.failureContext) : classifySmtpError(error, this.failureContext);
  }
}

function poolOptions(o: SmtpTransportOptions, xoauth2: SmtpXOAuth2Login | undefined): SMTPPoolOptions & { pool: true } {
  const connectionMs = o.timeouts?.connectionMs ?? SMTP_DEFAULTS.connectionMs;
  const guard = o.hostGuard;
  return {
    pool: true,
    // An IP literal in any spelling (`[::1]`, `127.1`) is given to nodemailer canonical. A host name
    // stays a name: it is what TLS sends as SNI and verifies the certificate against, also when the
    // guard hands nodemailer a socket it opened to the checked address.
    host: guard ? (parseIpLiteral(o.host) ?? o.host) : o.host,
    port: o.port,
    secure: o.tls === true,
    requireTLS: o.tls === false,
    ignoreTLS: o.tls === 'none',
    auth: xoauth2 ? xoauth2.nodemailerAuth() : o.username ? { user: o.username, pass: o.password } : undefined,
    name: o.name,
    maxConnections: o.pool?.maxConnections ?? SMTP_DEFAULTS.maxConnections,
    maxMessages: o.pool?.maxMessages ?? SMTP_DEFAULTS.maxMessages,
    connectionTimeout: connectionMs,
    ...(guard
      ? {
          getSocket: (_options, callback) =>
            void guard.connect(o.host, o.port, connectionMs).then(
              (connection) => callback(null, { connection }),
              (error: Error) => callback(error),
            ),
        }
      : {}),
    greetingTimeout: o.timeouts?.greetingMs ?? SMTP_DEFAULTS.greetingMs,
    socketTimeout: o.timeouts?.socketMs ?? SMTP_DEFAULTS.socketMs,
    // nodemailer's own log lines (connections opened, pool events) go to debug; its protocol
    // transcript (`debug: true`) would include the AUTH exchange and is never switched on.
    // Off when debug is not written: nodemailer builds an entry object for each of its lines (five or more
    // per message) before handing it over, 1.5 % of the worker's CPU in its profile (decision 0067).
    logger: o.logger && o.logger.isLevelEnabled?.('debug') !== false ? nodemailerLogger(o.logger, o.tenantId) : false,
    debug: false,
    disableFileAccess: true,
    disableUrlAccess: true,
  };
}

function nodemailerLogger(logger: SmtpTransportLogger, tenantId: string | undefined) {
  const component = tenantId === undefined ? { component: 'nodemailer' } : { component: 'nodemailer', tenantId };
  const toDebug = (entry: object, msg?: string, ...args: unknown[]) => logger.debug({ ...component, ...entry }, msg, ...args);
  return { trace: toDebug, debug: toDebug, info: toDebug, warn: toDebug, error: toDebug, fatal: toDebug };
}

/** One outcome per envelope recipient: accepted with the final reply, or refused with its own RCPT reply. */
function recipientOutcomes(info: SMTPPoolSentMessageInfo, ctx: SmtpFailureContext): RecipientOutcome[] {
  const accepted = new Set(info.accepted.map((a) => a.toLowerCase()));
  const refusals = new Map((info.rejectedErrors ?? []).map((e) => [(e.recipient ?? '').toLowerCase(), e]));
  const seen = new Set<string>();
  const outcomes: RecipientOutcome[] = [];
  for (const email of info.envelope.to ?? []) {
    const key = email.toLowerCase();
    if (seen.has(key)) continue;
    seen.add(key);
    if (accepted.has(key)) {
      outcomes.push({ email, accepted: true, response: info.response, responseCode: replyCodeOf(info.response) });
      continue;
    }
    const refusal = refusals.get(key);
    const described = refusal ? describeSmtpFailure(refusal, ctx) : undefined;
    outcomes.push({ email, accepted: false, response: described?.response, responseCode: described?.responseCode });
  }
  return outcomes;
}

function replyCodeOf(response: string | undefined): number | undefined {
  const m = /^(\d{3})/.exec(response ?? '');
  return m ? Number(m[1]) : undefined;
}
