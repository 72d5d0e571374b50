import { DeliveryError, DeliveryErrorFields } from '@mailroom/domain';
import {
  CERTIFICATE_ERROR_CODES,
  SMTP_RETRIED_HINTS,
  SmtpEndpointContext,
  SmtpFailureFacts,
  smtpHint,
  TLS_MISMATCH_CODES,
} from './smtp-hints';
import { isRateLimitReply } from './smtp-rate-limit';

/**
 * Reads a nodemailer failure into a DeliveryError whose `retryable` decides the retry
 * (contracts.md 4.3). Decided by code and reply class, never by message text:
 * - permanent: a 5xx reply except 503 (nodemailer's `permanent`, computed when absent), a refused
 *   login (EAUTH 5xx), no STARTTLS where it is required (ETLS, EREQUIRETLS), ECONFIG, ENOAUTH, and
 *   settings that cannot start working by themselves: an untrusted certificate, TLS spoken to a
 *   plaintext port (both ESOCKET underneath);
 * - temporary: 4xx, 503, ECONNECTION (a connection dropped mid-DATA), ESOCKET (refused, reset),
 *   ETIMEDOUT, EDNS, EPROTOCOL 421, and anything unknown (bounded by the worker's attempts).
 * - rate-limited (`rateLimited`, still temporary): a 4xx reply that says the sender is over a rate
 *   (smtp-rate-limit.ts), or every refused recipient saying so; the only place its words are read.
 * The password never appears in what comes out: it is cut from every text as a last defence.
 */

/** The fields nodemailer puts on its errors (nodemailer/lib/errors NodemailerError). */
export interface NodemailerFailure {
  code?: string;
  message?: string;
  command?: string;
  response?: string;
  responseCode?: number;
  permanent?: boolean;
  originalCode?: string;
  timeoutType?: string;
  recipient?: string;
  rejected?: string[];
  rejectedErrors?: NodemailerFailure[];
  /** OpenSSL's words for a TLS failure ("wrong version number"). */
  reason?: string;
  library?: string;
}

export interface SmtpFailureContext extends SmtpEndpointContext {
  /** Texts to cut out of anything reported (the SMTP password). */
  secrets?: string[];
}

const ALWAYS_PERMANENT = new Set(['ETLS', 'EREQUIRETLS', 'ECONFIG', 'ENOAUTH', 'EOAUTH2']);

/** RFC 5321: 5yz is permanent, 4yz transient; 503 (bad sequence) says the session was wrong, not the message. */
export function isPermanentReplyCode(responseCode: number): boolean {
  return responseCode >= 500 && responseCode < 600 && responseCode !== 503;
}

export function isPermanentSmtpFailure(err: NodemailerFailure): boolean {
  const code = err.code ?? '';
  if (ALWAYS_PERMANENT.has(code)) return true;
  if (typeof err.responseCode === 'number') {
    return typeof err.permanent === 'boolean' ? err.permanent : isPermanentReplyCode(err.responseCode);
  }
  if (err.originalCode && (CERTIFICATE_ERROR_CODES.has(err.originalCode) || TLS_MISMATCH_CODES.has(err.originalCode))) return true;
  // A login or envelope nodemailer refused before asking the server (bad options, no recipients).
  if (code === 'EAUTH' || code === 'EENVELOPE') return true;
  return false;
}

export interface SmtpFailureDescription extends DeliveryErrorFields {
  message: string;
}

/** The facts of a failure, without the error class: for a "send test email" answer or a log line. */
export function describeSmtpFailure(error: unknown, ctx: SmtpFailureContext): SmtpFailureDescription {
  const err = asFailure(error);
  const cut = redactor(ctx.secrets);
  const code = err.code ?? 'ESMTP';
  const facts: SmtpFailureFacts = {
    code,
    responseCode: err.responseCode,
    response: err.response === undefined ? undefined : cut(err.response),
    command: err.command,
    originalCode: err.originalCode,
    timeoutType: err.timeoutType,
  };
  const rejected = (err.rejectedErrors ?? []).map((r) => ({
    email: r.recipient ?? '',
    response: r.response === undefined ? undefined : cut(r.response),
    responseCode: r.responseCode,
  }));
  // All recipients refused: worth retrying if any refusal was temporary (452 mailbox full...).
  const retryable =
    rejected.length > 0 && code === 'EENVELOPE' && err.command === 'RCPT TO'
      ? (err.rejectedErrors ?? []).some((r) => !isPermanentSmtpFailure(r))
      : !isPermanentSmtpFailure(err);
  const rateLimited =
    retryable &&
    (isRateLimitReply(err.responseCode, err.response) ||
      (rejected.length > 0 && rejected.every((r) => isRateLimitReply(r.responseCode, r.response))));
  return {
    message: cut(`SMTP ${describeStep(err)}: ${readableMessage(err)}`),
    code,
    retryable,
    responseCode: err.responseCode,
    response: facts.response,
    ...(rateLimited ? SMTP_RETRIED_HINTS.rateLimited : smtpHint(facts, ctx)),
    rejectedRecipients: rejected.length > 0 ? rejected : undefined,
    ...(rateLimited ? { rateLimited: true } : {}),
  };
}

/** The DeliveryError the transport throws. The nodemailer error is not kept as `cause`: it may hold certificates and socket state. */
export function classifySmtpError(error: unknown, ctx: SmtpFailureContext): DeliveryError {
  const { message, ...fields } = describeSmtpFailure(error, ctx);
  return new DeliveryError(message, fields);
}

function asFailure(error: unknown): NodemailerFailure {
  if (typeof error === 'object' && error !== null) return error as NodemailerFailure;
  return { message: String(error) };
}

function describeStep(err: NodemailerFailure): string {
  switch (err.command) {
    case 'CONN':
      return 'connection failed';
    case 'STARTTLS':
      return 'STARTTLS failed';
    case 'MAIL FROM':
      return 'sender refused';
    case 'RCPT TO':
      return 'recipient refused';
    case 'DATA':
      return 'message refused';
  }
  if (err.code === 'EAUTH' || err.command?.startsWith('AUTH')) return 'login failed';
  return 'sending failed';
}

function readableMessage(err: NodemailerFailure): string {
  // OpenSSL's own message is a path into its sources; its `reason` is the readable part.
  if (err.library === 'SSL routines' && err.reason) return `TLS handshake failed: ${err.reason}`;
  const text = err.message || err.response || err.code || 'unknown error';
  return err.originalCode && !text.includes(err.originalCode) ? `${text} (${err.originalCode})` : text;
}

/** Cuts each secret, and its base64 forms (AUTH LOGIN sends it so), out of a text. */
function redactor(secrets: string[] = []): (text: string) => string {
  const needles = secrets
    .filter((s) => s.length >= 3)
    .flatMap((s) => [s, Buffer.from(s).toString('base64')])
    .sort((a, b) => b.length - a.length);
  return (text) => needles.reduce((t, n) => t.split(n).join('[redacted]'), text);
}
