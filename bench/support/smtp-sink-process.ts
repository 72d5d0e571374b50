/**
 * A lean SMTP server as its own OS process, for the rows that measure sending throughput: STARTTLS
 * and AUTH PLAIN/LOGIN (the testkit's certificate, the bench account), every message read to its end
 * and counted, nothing parsed or kept. The testkit's sink parses and keeps every message in the
 * caller's process, which is right for tests and wrong for a throughput figure: its CPU would be
 * taken from whoever runs in that process. Counts are asked for over IPC.
 *
 *   const sink = await startSinkProcess();  await sink.count();  await sink.stop();
 */
import { fork, ChildProcess } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { testTlsCredentials } from '@mailroom/testkit';
import { BENCH_PASS, BENCH_USER } from './bench-smtp';

export interface SinkProcess {
  port: number;
  child: ChildProcess;
  /** Messages accepted so far (and their bytes). */
  count(): Promise<{ messages: number; bytes: number }>;
  /** Forgets what was counted. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

type Request = { op: 'count' | 'reset'; seq: number };
type Reply = { seq: number; messages: number; bytes: number } | { ready: number };

export async function startSinkProcess(): Promise<SinkProcess> {
  const child = fork(__filename, ['--serve'], { execArgv: ['--import', 'tsx'], stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const waiting = new Map<number, (r: { messages: number; bytes: number }) => void>();
  let seq = 0;
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the SMTP sink process exited with ${code} at start`)));
    child.on('message', (m: Reply) => {
      if ('ready' in m) return resolve(m.ready);
      waiting.get(m.seq)?.(m);
      waiting.delete(m.seq);
    });
  });
  const ask = (op: Request['op']) =>
    new Promise<{ messages: number; bytes: number }>((resolve) => {
      waiting.set(++seq, resolve);
      child.send({ op, seq } satisfies Request);
    });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    port,
    child,
    count: () => ask('count'),
    reset: async () => void (await ask('reset')),
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

function serve(): void {
  let messages = 0;
  let bytes = 0;
  const { key, cert } = testTlsCredentials();
  const server = new SMTPServer({
    key,
    cert,
    authMethods: ['PLAIN', 'LOGIN'],
    hideENHANCEDSTATUSCODES: true,
    disableReverseLookup: true,
    size: 40 * 1024 * 1024,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === BENCH_USER && auth.password === BENCH_PASS) return callback(null, { user: auth.username });
      callback(Object.assign(new Error('535 5.7.8 Username and Password not accepted'), { responseCode: 535 }));
    },
    onData(stream, _session, callback) {
      let size = 0;
      stream.on('data', (chunk: Buffer) => (size += chunk.length));
      stream.on('end', () => {
        messages += 1;
        bytes += size;
        callback(null, 'Ok: queued');
      });
    },
  });
  server.on('error', () => undefined);
  server.listen(0, '127.0.0.1', () => process.send!({ ready: (server.server.address() as AddressInfo).port } satisfies Reply));
  process.on('message', (m: Request) => {
    if (m.op === 'reset') [messages, bytes] = [0, 0];
    process.send!({ seq: m.seq, messages, bytes } satisfies Reply);
  });
  process.on('SIGTERM', () => server.close(() => process.exit(0)));
  process.on('disconnect', () => process.exit(0));
}

if (process.argv.includes('--serve') && process.send) serve();
