import { spawn } from 'node:child_process';
import path from 'node:path';

const FIXTURE = path.join(__dirname, '..', 'test', 'run-main-fixture.ts');

/** Starts the fixture app, waits for `ready`, sends `signals` together, and returns its output and exit code. */
async function stopWith(signals: NodeJS.Signals[], env: Record<string, string> = {}): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ready line: ${out}`)), 20_000);
    child.stdout.on('data', () => out.includes('ready\n') && (clearTimeout(t), resolve()));
  });
  for (const s of signals) child.kill(s);
  const code = await new Promise<number | null>((resolve) => child.on('exit', (c) => resolve(c)));
  return { out, code };
}

const count = (text: string, what: string) => text.split(what).length - 1;

describe('runMain: how an app stops on a signal', () => {
  it('stops once when SIGINT and SIGTERM arrive together (Ctrl-C under run-all sends both), and exits 0', async () => {
    const { out, code } = await stopWith(['SIGINT', 'SIGTERM']);
    expect([count(out, 'stop called'), count(out, 'stopped\n'), code]).toEqual([1, 1, 0]);
    expect(count(out, 'stopping: finishing what is in hand')).toBe(1);
  }, 30_000);

  it('a stop that fails is logged and exits 1, not an unhandled rejection', async () => {
    const { out, code } = await stopWith(['SIGTERM'], { STOP_FAILS: '1', STOP_MS: '10' });
    expect(code).toBe(1);
    expect(out).toMatch(/could not stop cleanly/);
    expect(out).toMatch(/the store would not close/);
  }, 30_000);
});
