/**
 * The single enqueue's CPU per request as the offered rate changes (decision 0073): the enqueue row's
 * two servers (the API with the shipped flags, bare Express), warmed as the row warms them, then one
 * closed loop each and an open loop each at every rate, printing for each: the server's CPU per
 * request (all threads, /proc), its main thread's, how busy that thread was, and p50 / p99 from each
 * request's scheduled time.
 *
 *   NODE_EXTRA_CA_CERTS=packages/testkit/certs/ca.pem npx tsx bench/support/rate-sweep.ts [rates=200,400,800,1200] [n=3000]
 *
 * SWEEP_NODE_ARGS adds node flags to both servers (`--perf-basic-prof` for `perf record -t <pid>`);
 * SWEEP_THREADS=1 adds each server's other threads' CPU per request (V8's helpers, libuv's, the store's).
 */
import fs from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { startMailroom } from '../../e2e/support/mailroom-harness';
import { poster } from '../rows/enqueue';
import { AppProcess, startAppProcess, startScriptProcess } from './app-process';
import { closedLoop, LoadFigures, openLoop } from './http-load';
import { threadCpuMsOf } from './process-cpu';

const rates = (process.argv[2] ?? '200,400,800,1200').split(',').map(Number);
const n = Number(process.argv[3] ?? 3000);
const connections = 50;

/** Each thread's CPU so far (ms), by `<tid> <name>`. */
function threadsCpu(pid: number): Map<string, number> {
  const cpu = new Map<string, number>();
  for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
    try {
      const name = fs.readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      cpu.set(`${tid} ${name}`, threadCpuMsOf(pid, Number(tid)));
    } catch {
      // The thread ended meanwhile.
    }
  }
  return cpu;
}

async function measured(server: AppProcess, load: (pid: number) => Promise<LoadFigures>): Promise<string> {
  const pid = server.child.pid!;
  const before = threadsCpu(pid);
  const f = await load(pid);
  const after = threadsCpu(pid);
  const usPerRequest = (thread: string) => (((after.get(thread) ?? 0) - (before.get(thread) ?? 0)) / n) * 1000;
  const main = [...after.keys()].find((t) => t.startsWith(`${pid} `))!;
  const mainUs = usPerRequest(main);
  const busy = (mainUs * f.perSecond) / 1e4;
  // SWEEP_THREADS=1: every other thread that used over 5 µs per request, busiest first.
  const others = [...after.keys()]
    .filter((t) => t !== main && usPerRequest(t) > 5)
    .sort((a, b) => usPerRequest(b) - usPerRequest(a))
    .map((t) => `${t.split(' ').slice(1).join(' ')} ${usPerRequest(t).toFixed(0)}`);
  return (
    `${f.perSecond.toFixed(0).padStart(5)} req/s  CPU/request ${(f.cpuMs * 1000).toFixed(0).padStart(5)} µs, ` +
    `main thread ${mainUs.toFixed(0).padStart(5)} µs (busy ${busy.toFixed(0)} %)  p50 ${f.p50.toFixed(1)} p99 ${f.p99.toFixed(1)} ms` +
    (process.env.SWEEP_THREADS === '1' && others.length ? `\n    other threads, µs per request: ${others.join(', ')}` : '')
  );
}

async function main(): Promise<void> {
  const quiet = new Writable({ write: (_chunk, _enc, done) => done() });
  const m = await startMailroom({ LOG_LEVEL: 'info' }, { worker: false, logStream: quiet, logLevel: 'silent' });
  const extra = process.env.SWEEP_NODE_ARGS?.split(' ').filter(Boolean) ?? [];
  const api = await startAppProcess('api', { ...m.env, LOG_LEVEL: 'info' }, extra);
  const bare = await startScriptProcess(path.join(__dirname, 'bare-express.ts'), 'API_PORT', {}, extra);
  const servers = [
    ['mailroom', api],
    ['bare    ', bare],
  ] as const;
  try {
    await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
    console.log(`api ${api.child.pid}, bare Express ${bare.child.pid}; ${n} requests per loop`);
    for (const [name, s] of servers) await closedLoop(s.child.pid!, 2000, connections, poster(s, `warm-${name.trim()}`));
    for (const [name, s] of servers) {
      const line = await measured(s, (pid) => closedLoop(pid, n, connections, poster(s, `closed-${name.trim()}`)));
      console.log(`${name} closed loop, ${connections} in flight: ${line}`);
    }
    for (const rate of rates) {
      for (const [name, s] of servers) {
        const line = await measured(s, (pid) => openLoop(pid, n, rate, connections, poster(s, `r${rate}-${name.trim()}`)));
        console.log(`${name} ${String(rate).padStart(5)} req/s offered: ${line}`);
      }
    }
  } finally {
    await api.stop();
    await bare.stop();
    await m.stop();
  }
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    console.error(e);
    process.exit(1);
  },
);
