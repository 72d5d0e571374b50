import type { ParsedMail } from 'mailparser';

/** How the sink speaks TLS: from the first byte (465-style), after STARTTLS (587-style), or not at all. */
export type SinkTls = 'implicit' | 'starttls' | 'none';

export interface SinkAuthOptions {
  /** username -> password. */
  users: Record<string, string>;
  /** Advertised mechanisms; default PLAIN and LOGIN (and XOAUTH2 when `xoauth2` is set). */
  methods?: ('PLAIN' | 'LOGIN' | 'XOAUTH2')[];
  /** Accept AUTH XOAUTH2 (smtp-sink-xoauth2.ts). */
  xoauth2?: SinkXOAuth2Options;
  /**
   * The reply to a wrong username or password, as a whole line. Default
   * `535 5.7.8 Username and Password not accepted` (Gmail's words). Office 365 says
   * `535 5.7.139 Authentication unsuccessful, SmtpClientAuthentication is disabled for the Mailbox`
   * or `550 5.7.30 Basic authentication is not supported for Client Submission`.
   */
  failureReply?: string;
}

export interface SinkXOAuth2Options {
  /**
   * The mailbox a live access token belongs to, or undefined for a bad one (expired, revoked,
   * unknown, without the SMTP scope): e.g. `(t) => oauth.isValidAccessToken(t, scope)?.email`.
   * The login succeeds when it names the XOAUTH2 user.
   */
  mailboxOf(accessToken: string): string | undefined;
  /** How a bad token is refused: Gmail's 334 challenge then 535 5.7.8 (default), or Office 365's 535 5.7.3. */
  style?: 'gmail' | 'office365';
}

/**
 * What the sink does wrong on purpose. Live and mutable (`sink.behaviour.dropDuringData = 1`), so
 * one sink can play several scenes in a suite. Counters count down as they are used.
 */
export interface SinkBehaviour {
  /** Answer `421 4.3.2 Service not available, try again later` to the first N connections. */
  greet421Times: number;
  /** Destroy the socket in the middle of DATA for the next N messages (no reply is ever sent). */
  dropDuringData: number;
  /** Recipient (lower case) -> the whole reply line to RCPT TO, e.g. `550 5.1.1 <x@y>: User unknown`. */
  rejectRecipients: Record<string, string>;
  /** The whole reply line to every MAIL FROM, e.g. `550 5.7.1 Sender address is not allowed`. */
  rejectMailFrom?: string;
  /** A whole reply line to answer DATA with instead of 250 (the message is then not captured). */
  onDataReply?: string | ((message: SinkMessage) => string | undefined);
  /** Wait this long before answering DATA (a slow server: sends stay in flight). Default 0. */
  dataReplyDelayMs?: number;
}

export interface SmtpSinkOptions extends Partial<SinkBehaviour> {
  /** Default 'starttls'. */
  tls?: SinkTls;
  /** Require a login (AUTH PLAIN and LOGIN). Without it, anyone may send. */
  auth?: SinkAuthOptions;
  /** The TLS key and certificate; default the test CA's `server.pem` (trusted via NODE_EXTRA_CA_CERTS). */
  certificate?: { key: string | Buffer; cert: string | Buffer };
  /** Largest message accepted (SIZE), default 40 MB. */
  maxSizeBytes?: number;
}

export interface SinkMessage {
  envelope: { mailFrom: string; rcptTo: string[] };
  /** The bytes exactly as received after DATA (dot-unstuffed). */
  raw: Buffer;
  /** mailparser's reading of `raw`: headers, from, to, cc, subject, text, html, attachments (with content). */
  parsed: ParsedMail;
  /** The authenticated username, if any. */
  user?: string;
  /** Whether the message travelled over TLS (implicit or after STARTTLS). */
  secure: boolean;
  connectionId: string;
  /** When the client began sending the message (DATA), so a test can count the messages in flight at once. */
  dataStartedAt: Date;
  /** When the sink answered it (after `dataReplyDelayMs`). */
  receivedAt: Date;
}

export interface SinkConnection {
  id: string;
  remotePort: number;
  /** TLS at connect time (implicit TLS); STARTTLS upgrades show on messages and auth attempts. */
  secureAtConnect: boolean;
  /** Refused with 421 by `greet421Times`. */
  refused: boolean;
}

export interface SinkAuthAttempt {
  method: string;
  username: string;
  ok: boolean;
  /** Whether the credentials arrived over TLS. */
  secure: boolean;
  connectionId: string;
}

export interface RunningSmtpSink {
  host: '127.0.0.1';
  port: number;
  tls: SinkTls;
  /** Messages answered with 250, in arrival order. */
  messages: SinkMessage[];
  /** Messages answered with `onDataReply`'s line instead. */
  refusedMessages: SinkMessage[];
  /** Every TCP connection that reached the SMTP layer, refused ones included. */
  connections: SinkConnection[];
  authAttempts: SinkAuthAttempt[];
  /** How many messages had their connection destroyed mid-DATA. */
  droppedDuringData: number;
  behaviour: SinkBehaviour;
  /** Resolves with the first `count` captured messages once they are there; rejects after `timeoutMs` (default 5000). */
  waitForMessages(count: number, timeoutMs?: number): Promise<SinkMessage[]>;
  /** Forgets captured messages, connections, auth attempts and drops (not the behaviour). */
  clear(): void;
  close(): Promise<void>;
}
