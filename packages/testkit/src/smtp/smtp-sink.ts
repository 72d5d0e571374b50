import { EventEmitter } from 'node:events';
import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer, SMTPServerDataStream, SMTPServerSession } from 'smtp-server';
import { testTlsCredentials } from '../emulators/http-emulator';
import { smtpReplyError } from './smtp-reply';
import { xoauth2Login } from './smtp-sink-xoauth2';
import type { SinkMessage, RunningSmtpSink, SinkBehaviour, SmtpSinkOptions } from './smtp-sink-types';

export const SINK_GREETING_421 = '421 4.3.2 Service not available, try again later';
export const SINK_AUTH_FAILURE = '535 5.7.8 Username and Password not accepted';

/**
 * A real SMTP server (smtp-server) on 127.0.0.1:0 that captures what it is sent and, on request,
 * misbehaves the way real providers do: 421 greetings, refused logins, refused senders and
 * recipients, connections dropped mid-DATA, 4xx/5xx after DATA. TLS uses the test CA's
 * `server.pem`, trusted through NODE_EXTRA_CA_CERTS.
 */
export async function startSmtpSink(options: SmtpSinkOptions = {}): Promise<RunningSmtpSink> {
  const tls = options.tls ?? 'starttls';
  const events = new EventEmitter();
  const behaviour: SinkBehaviour = {
    greet421Times: options.greet421Times ?? 0,
    dropDuringData: options.dropDuringData ?? 0,
    rejectRecipients: lowerKeys(options.rejectRecipients ?? {}),
    rejectMailFrom: options.rejectMailFrom,
    onDataReply: options.onDataReply,
    dataReplyDelayMs: options.dataReplyDelayMs,
  };
  const sink = {
    messages: [] as SinkMessage[],
    refusedMessages: [] as SinkMessage[],
    connections: [] as RunningSmtpSink['connections'],
    authAttempts: [] as RunningSmtpSink['authAttempts'],
    droppedDuringData: 0,
  };
  const auth = options.auth;
  const { key, cert } = options.certificate ?? testTlsCredentials();

  const server: SMTPServer = new SMTPServer({
    secure: tls === 'implicit',
    key: tls === 'none' ? undefined : key,
    cert: tls === 'none' ? undefined : cert,
    // 'none' plays a server that offers no STARTTLS and takes a password in the clear: the worst
    // case, so a test can prove the client never sends one there.
    disabledCommands: [...(tls === 'none' ? ['STARTTLS'] : []), ...(auth ? [] : ['AUTH'])],
    allowInsecureAuth: tls === 'none',
    authOptional: !auth,
    authMethods: auth?.methods ?? ['PLAIN', 'LOGIN', ...(auth?.xoauth2 ? ['XOAUTH2'] : [])],
    hideENHANCEDSTATUSCODES: true,
    disableReverseLookup: true,
    size: options.maxSizeBytes ?? 40 * 1024 * 1024,
    logger: false,

    onConnect(session, callback) {
      const refused = behaviour.greet421Times > 0;
      if (refused) behaviour.greet421Times -= 1;
      sink.connections.push({ id: session.id, remotePort: session.remotePort, secureAtConnect: session.secure, refused });
      callback(refused ? smtpReplyError(SINK_GREETING_421) : null);
    },

    onAuth(attempt, session, callback) {
      if (attempt.method === 'XOAUTH2')
        return xoauth2Login(server, auth?.xoauth2, attempt, session, (a) => sink.authAttempts.push(a), callback);
      const username = attempt.username ?? '';
      const ok = !!auth && Object.prototype.hasOwnProperty.call(auth.users, username) && auth.users[username] === attempt.password;
      sink.authAttempts.push({ method: attempt.method, username, ok, secure: session.secure, connectionId: session.id });
      if (!ok) return callback(smtpReplyError(auth?.failureReply ?? SINK_AUTH_FAILURE));
      callback(null, { user: username });
    },

    onMailFrom(_address, _session, callback) {
      callback(behaviour.rejectMailFrom ? smtpReplyError(behaviour.rejectMailFrom) : null);
    },

    onRcptTo(address, _session, callback) {
      const line = behaviour.rejectRecipients[address.address.toLowerCase()];
      callback(line ? smtpReplyError(line) : null);
    },

    onData(stream, session, callback) {
      if (behaviour.dropDuringData > 0) {
        behaviour.dropDuringData -= 1;
        sink.droppedDuringData += 1;
        return dropConnectionOf(server, session, stream);
      }
      const dataStartedAt = new Date();
      readAll(stream)
        .then(async (raw) => {
          if (behaviour.dataReplyDelayMs) await new Promise((r) => setTimeout(r, behaviour.dataReplyDelayMs));
          const message: SinkMessage = {
            envelope: {
              mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              rcptTo: session.envelope.rcptTo.map((r) => r.address),
            },
            raw,
            parsed: await simpleParser(raw),
            user: typeof session.user === 'string' ? session.user : undefined,
            secure: session.secure,
            connectionId: session.id,
            dataStartedAt,
            receivedAt: new Date(),
          };
          const reply = typeof behaviour.onDataReply === 'function' ? behaviour.onDataReply(message) : behaviour.onDataReply;
          if (reply) {
            sink.refusedMessages.push(message);
            return callback(smtpReplyError(reply));
          }
          sink.messages.push(message);
          events.emit('message');
          callback(null, `Ok: queued as ${session.id}.${session.transaction}`);
        })
        .catch((err: Error) => callback(smtpReplyError(`451 4.3.0 The sink could not read the message: ${err.message}`)));
    },
  });
  server.on('error', () => undefined); // a client vanishing mid-session is part of the tests

  await new Promise<void>((resolve, reject) => {
    server.server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.server.address() as AddressInfo;

  return {
    host: '127.0.0.1',
    port,
    tls,
    behaviour,
    get messages() {
      return sink.messages;
    },
    get refusedMessages() {
      return sink.refusedMessages;
    },
    get connections() {
      return sink.connections;
    },
    get authAttempts() {
      return sink.authAttempts;
    },
    get droppedDuringData() {
      return sink.droppedDuringData;
    },
    waitForMessages: (count, timeoutMs = 5000) =>
      waitFor(
        events,
        () => sink.messages.length >= count,
        timeoutMs,
        () => `expected ${count} message(s) on the SMTP sink within ${timeoutMs} ms, got ${sink.messages.length}`,
      ).then(() => sink.messages.slice(0, count)),
    clear() {
      sink.messages = [];
      sink.refusedMessages = [];
      sink.connections = [];
      sink.authAttempts = [];
      sink.droppedDuringData = 0;
    },
    close: () => closeServer(server),
  };
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

function readAll(stream: SMTPServerDataStream): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('error', reject);
    stream.once('end', () => resolve(Buffer.concat(chunks)));
  });
}

/** Kills the TCP connection as soon as the message starts arriving, before any reply to DATA. */
function dropConnectionOf(server: SMTPServer, session: SMTPServerSession, stream: SMTPServerDataStream): void {
  const connection = [...server.connections].find((c) => c.id === session.id);
  stream.once('data', () => connection?._socket.destroy());
  stream.resume();
}

function waitFor(events: EventEmitter, done: () => boolean, timeoutMs: number, describe: () => string): Promise<void> {
  if (done()) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const onMessage = () => {
      if (!done()) return;
      clearTimeout(timer);
      events.off('message', onMessage);
      resolve();
    };
    const timer = setTimeout(() => {
      events.off('message', onMessage);
      reject(new Error(describe()));
    }, timeoutMs);
    events.on('message', onMessage);
  });
}

/** Closes the listener and every open session at once (a pooled client may still hold one). */
function closeServer(server: SMTPServer): Promise<void> {
  return new Promise((resolve) => {
    for (const c of server.connections) c._socket.destroy();
    server.close(() => resolve());
  });
}
