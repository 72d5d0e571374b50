import { ChildProcess, spawn } from 'node:child_process';
import net from 'node:net';
import { refusingPort } from '../smtp/dead-end-servers';

/**
 * A redis-server of a test's own, on a free port, without persistence (`--save "" --appendonly no`),
 * so a test can take Redis away and bring it back without touching the shared one on 6379.
 * `stop()` kills it (SIGKILL: a crash, nothing flushed), `start()` starts it again empty on the same
 * port, `pause()`/`resume()` freeze it (SIGSTOP/SIGCONT): connections stay open, nothing answers.
 */
export interface RedisServerProcess {
  port: number;
  url: string;
  readonly running: boolean;
  stop(): Promise<void>;
  start(): Promise<void>;
  pause(): void;
  resume(): void;
  /** Stops it for good (resuming it first if paused). */
  close(): Promise<void>;
}

/** `args`: more redis-server options, e.g. ['--requirepass', 'pw'] or ['--maxmemory-policy', 'allkeys-lru']. */
export async function startRedisServer(options: { binary?: string; args?: string[] } = {}): Promise<RedisServerProcess> {
  const port = await refusingPort();
  const binary = options.binary ?? 'redis-server';
  let child: ChildProcess | undefined;
  let paused = false;

  const start = async () => {
    if (child) return;
    const proc = spawn(
      binary,
      ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.args ?? [])],
      {
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let stderr = '';
    proc.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    const exited = new Promise<never>((_, reject) =>
      proc.once('exit', (code) => reject(new Error(`redis-server on port ${port} exited (${code}): ${stderr}`))),
    );
    exited.catch(() => undefined);
    proc.once('exit', () => {
      if (child === proc) child = undefined;
    });
    child = proc;
    await Promise.race([waitForPong(port, 10_000), exited]);
  };

  const stop = async () => {
    const proc = child;
    if (!proc) return;
    const gone = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    if (paused) proc.kill('SIGCONT');
    paused = false;
    proc.kill('SIGKILL');
    await gone;
  };

  await start();
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    get running() {
      return child !== undefined && !paused;
    },
    stop,
    start,
    pause() {
      child?.kill('SIGSTOP');
      paused = child !== undefined;
    },
    resume() {
      child?.kill('SIGCONT');
      paused = false;
    },
    close: stop,
  };
}

/** PING over a bare socket until +PONG (or -NOAUTH) comes back. */
export async function waitForPong(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await pingOnce(port)) return;
    if (Date.now() > deadline) throw new Error(`redis-server on port ${port} did not answer PING within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function pingOnce(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    // -NOAUTH: a server started with --requirepass is up too.
    socket.once('data', (d: Buffer) => done(/^(\+PONG|-NOAUTH)/.test(d.toString())));
  });
}
