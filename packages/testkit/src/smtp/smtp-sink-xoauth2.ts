import type { SMTPServer, SMTPServerAuthentication, SMTPServerAuthenticationResponse, SMTPServerSession } from 'smtp-server';
import { smtpReplyError } from './smtp-reply';
import type { SinkAuthAttempt, SinkXOAuth2Options } from './smtp-sink-types';

/**
 * AUTH XOAUTH2 as Gmail and Office 365 answer it. A good token for the named mailbox logs in. A bad
 * one (expired, revoked, wrong scope, another mailbox's):
 * - Gmail answers `334` with a base64 JSON challenge, waits for the client's empty line, then
 *   `535-5.7.8 Username and Password not accepted...` (developers.google.com/gmail/imap/xoauth2-protocol);
 * - Office 365 answers `535 5.7.3 Authentication unsuccessful [...]` at once.
 * smtp-server words the final 535 of the challenge path itself; to say Gmail's line the sink takes
 * over the connection's next handler (an smtp-server internal, like `_socket` elsewhere in the sink).
 */
export const GMAIL_XOAUTH2_CHALLENGE = { status: '400', schemes: 'Bearer', scope: 'https://mail.google.com/' };
export const GMAIL_XOAUTH2_REFUSAL = [
  '5.7.8 Username and Password not accepted. For more information, go to',
  '5.7.8  https://support.google.com/mail/?p=BadCredentials d2e1a72fcca58-7d4e.20 - gsmtp',
];
export const OFFICE365_XOAUTH2_REFUSAL =
  '535 5.7.3 Authentication unsuccessful [AM0PR02CA0123.eurprd02.prod.outlook.com 2026-01-05T10:00:00.000Z 08DE2C1A9F3B4D21]';

type AuthCallback = (err: Error | null | undefined, response?: SMTPServerAuthenticationResponse) => void;

export function xoauth2Login(
  server: SMTPServer,
  options: SinkXOAuth2Options | undefined,
  attempt: SMTPServerAuthentication,
  session: SMTPServerSession,
  record: (attempt: SinkAuthAttempt) => void,
  callback: AuthCallback,
): void {
  const username = attempt.username ?? '';
  const mailbox = options ? options.mailboxOf(attempt.accessToken ?? '') : undefined;
  const ok = !!mailbox && mailbox.toLowerCase() === username.toLowerCase();
  record({ method: 'XOAUTH2', username, ok, secure: session.secure, connectionId: session.id });
  if (ok) return callback(null, { user: username });
  if ((options?.style ?? 'gmail') === 'office365') return callback(smtpReplyError(OFFICE365_XOAUTH2_REFUSAL));

  callback(null, { data: GMAIL_XOAUTH2_CHALLENGE });
  const connection = [...server.connections].find((c) => c.id === session.id);
  if (connection) {
    connection._nextHandler = (_line, done) => {
      connection.send(535, GMAIL_XOAUTH2_REFUSAL);
      done();
    };
  }
}
