import { spawn } from 'node:child_process';
import path from 'node:path';

const FIXTURE = path.join(__dirname, '..', 'test', 'run-main-fixture.ts');

/** Starts the fixture app, waits for the line `waitFor`, sends `signals` together, and returns its output and exit code. */
async function stopWith(
  signals: NodeJS.Signals[],
  env: Record<string, string> = {},
  waitFor = 'ready\n',
): Promise<{ out: string; code: number | null }> {
  const child = spawn(process.execPath, ['--import', 'tsx', FIXTURE], {
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (b: Buffer) => (out += b.toString()));
  child.stderr.on('data', (b: Buffer) => (out += b.toString()));
  await new Promise<void>((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no ${JSON.stringify(waitFor)} line: ${out}`)), 20_000);
    child.stdout.on('data', () => out.includes(waitFor) && (clearTimeout(t), resolve()));
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

  it('a signal before the start finished exits at once, with nothing to stop', async () => {
    const startedAt = Date.now();
    const { out, code } = await stopWith(['SIGTERM'], { START_MS: '60000' }, 'starting\n');
    expect([code, count(out, 'stop called'), count(out, 'ready')]).toEqual([0, 0, 0]);
    expect(out).toMatch(/stopping before the start finished/);
    expect(Date.now() - startedAt).toBeLessThan(20_000);
  }, 30_000);

  it('a stop that fails is logged and exits 1, not an unhandled rejection', async () => {
    const { out, code } = await stopWith(['SIGTERM'], { STOP_FAILS: '1', STOP_MS: '10' });
    expect(code).toBe(1);
    expect(out).toMatch(/could not stop cleanly/);
    expect(out).toMatch(/the store would not close/);
  }, 30_000);
});
