/**
 * Turns a whole SMTP reply line such as `535 5.7.8 Username and Password not accepted` into the
 * error smtp-server answers with, so a scripted sink says exactly the line a test asked for
 * (the sink hides smtp-server's own enhanced status codes so they are never doubled).
 */
export interface SmtpReplyError extends Error {
  responseCode: number;
}

const REPLY = /^([2-5]\d\d)[ -](.*)$/s;

export function parseSmtpReply(line: string): { code: number; text: string } {
  const m = REPLY.exec(line.trim());
  if (!m) throw new Error(`not an SMTP reply line: ${JSON.stringify(line)} (expected e.g. "550 5.1.1 User unknown")`);
  return { code: Number(m[1]), text: m[2] };
}

export function smtpReplyError(line: string): SmtpReplyError {
  const { code, text } = parseSmtpReply(line);
  const err = new Error(text) as SmtpReplyError;
  err.responseCode = code;
  return err;
}
