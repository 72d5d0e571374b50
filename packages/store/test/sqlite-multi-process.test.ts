import { ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { makeContent, makeEmail } from './contract/contract-fixtures';
import { SqliteStore } from '../src/sqlite/sqlite-store';

/** Several OS processes on one SQLite file: no update lost, one email per idempotency key. */
const PROCESSES = 3;
const UPDATES_EACH = 40;
const tsxRegister = path.join(path.dirname(require.resolve('tsx/package.json')), 'dist/cjs/index.cjs');

interface Writer {
  child: ChildProcessWithoutNullStreams;
  lines: string[];
  nextLine: () => Promise<string>;
}

function startWriter(args: string[]): Writer {
  const child = spawn(process.execPath, ['--require', tsxRegister, path.join(__dirname, 'shared-file-writer.ts'), ...args]);
  const lines: string[] = [];
  const waiting: ((line: string) => void)[] = [];
  let stderr = '';
  let buffered = '';
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  child.stdout.on('data', (d: Buffer) => {
    buffered += d.toString();
    let nl: number;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      const waiter = waiting.shift();
      if (waiter) waiter(line);
      else lines.push(line);
    }
  });
  const exited = new Promise<string>((resolve) => child.on('exit', (code) => resolve(`writer exited with ${code}: ${stderr}`)));
  const nextLine = () =>
    lines.length > 0
      ? Promise.resolve(lines.shift()!)
      : Promise.race([new Promise<string>((resolve) => waiting.push(resolve)), exited.then((why) => Promise.reject(new Error(why)))]);
  return { child, lines, nextLine };
}

describe('SqliteStore shared by several processes', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'mailroom-mp-'));
  const writers: Writer[] = [];

  afterAll(() => {
    for (const w of writers) if (w.child.exitCode === null) w.child.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses no update and creates one email per idempotency key', async () => {
    const file = path.join(dir, 'mailroom.db');
    const store = new SqliteStore({ filename: file });
    await store.init();
    const tenantId = 'multi-process';
    const email = makeEmail(tenantId, `${tenantId}-target`);
    await store.emails.create({ email, content: makeContent() });

    for (let p = 0; p < PROCESSES; p++) writers.push(startWriter([file, tenantId, email.id, `p${p}`, String(UPDATES_EACH)]));
    for (const w of writers) expect(await w.nextLine()).toBe('ready');
    for (const w of writers) w.child.stdin.write('go\n');
    const outcomes = await Promise.all(writers.map(async (w) => JSON.parse(await w.nextLine()) as { id: string; created: boolean }));

    expect(outcomes.filter((o) => o.created)).toHaveLength(1);
    expect(new Set(outcomes.map((o) => o.id)).size).toBe(1);
    const stored = await store.emails.get(tenantId, email.id);
    expect(stored!.events).toHaveLength(1 + PROCESSES * UPDATES_EACH);
    await store.close();
  }, 60_000);
});
