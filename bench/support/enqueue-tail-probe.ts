/**
 * Where the single enqueue's open-loop tail comes from (decision 0046): the enqueue row's servers and
 * load, with each request's scheduled and answer times kept, the API process and this (client) process
 * watched by loop-monitor.cjs (GC pauses, event-loop gaps), and every slow request set against what
 * either process was doing while it waited.
 *
 *   flock /work/team/cpu.lock timeout 600 env NODE_EXTRA_CA_CERTS=packages/testkit/certs/ca.pem \
 *     npx tsx bench/support/enqueue-tail-probe.ts [rate=500] [n=4000] [slowMs=15] [target=api|bare]
 *
 * PROBE_CPU_PROF=dir also profiles the API (--cpu-prof); PROBE_NODE_ARGS adds node flags to the server's
 * (`--perf-basic-prof` for `perf record`).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { startMailroom } from '../../e2e/support/mailroom-harness';
import { poster } from '../rows/enqueue';
import { startAppProcess, startScriptProcess } from './app-process';
import { closedLoop, openLoop } from './http-load';
import { quantile } from './measure';

interface Span {
  at: number;
  ms: number;
  kind?: string;
  /** For a loop gap: how much of it the main thread spent on a CPU. */
  cpuMs?: number;
}
interface Monitor {
  gcs: Span[];
  gaps: Span[];
}

const [rateArg, nArg, slowArg, targetArg] = process.argv.slice(2);
const rate = Number(rateArg ?? 500);
const n = Number(nArg ?? 4000);
const slowMs = Number(slowArg ?? 15);
const target = targetArg ?? 'api';

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'enqueue-tail-'));
  const monitor = path.join(__dirname, 'loop-monitor.cjs');
  const serverFile = path.join(dir, 'server.json');
  const clientFile = path.join(dir, 'client.json');
  // This process watches itself too (the client's GC and stalls delay answers just as well).
  process.env.LOOP_MONITOR_FILE = clientFile;
  require(monitor);
  delete process.env.LOOP_MONITOR_FILE;

  const m = await startMailroom({ LOG_LEVEL: 'info' }, { worker: false, logStream: devNull(), logLevel: 'silent' });
  const prof = [
    ...(process.env.PROBE_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.PROBE_CPU_PROF}`] : []),
    ...(process.env.PROBE_NODE_ARGS ? process.env.PROBE_NODE_ARGS.split(' ') : []),
  ];
  const env = { LOOP_MONITOR_FILE: serverFile };
  const server =
    target === 'bare'
      ? await startScriptProcess(path.join(__dirname, 'bare-express.ts'), 'API_PORT', env, ['--require', monitor, ...prof])
      : await startAppProcess('api', { ...m.env, LOG_LEVEL: 'info', ...env }, ['--require', monitor, ...prof]);
  const pid = server.child.pid!;
  const samples: { i: number; due: number; answered: number }[] = [];
  let t0: number;
  try {
    await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
    await closedLoop(pid, 200, 50, poster(server, 'warm'));
    await closedLoop(pid, 2000, 50, poster(server, 'sat'));
    t0 = performance.timeOrigin;
    const threads = (p: number) =>
      fs
        .readdirSync(`/proc/${p}/task`)
        .map((t) => `${t}:${fs.readFileSync(`/proc/${p}/task/${t}/comm`, 'utf8').trim()}`)
        .join(' ');
    console.log(`server ${pid} threads ${threads(pid)}\nclient ${process.pid} threads ${threads(process.pid)}`);
    const mono0 = process.hrtime.bigint();
    const f = await openLoop(pid, n, rate, 50, poster(server, 'paced'), (i, due, answered) => samples.push({ i, due, answered }));
    console.log(`open loop, CLOCK_MONOTONIC s: ${Number(mono0) / 1e9} ${Number(process.hrtime.bigint()) / 1e9}`);
    console.log(
      `${target} at ${rate} req/s, ${n} requests: p50 ${f.p50.toFixed(1)} p99 ${f.p99.toFixed(1)} max ${f.max.toFixed(1)} ms, CPU/request ${f.cpuMs.toFixed(2)} ms`,
    );
  } finally {
    await server.stop();
    await m.stop();
  }
  process.emit('exit', 0); // writes this process's monitor file now
  const srv = JSON.parse(fs.readFileSync(serverFile, 'utf8')) as Monitor;
  const cli = JSON.parse(fs.readFileSync(clientFile, 'utf8')) as Monitor;
  const first = t0 + samples.reduce((a, s) => Math.min(a, s.due), Infinity);
  const last = t0 + samples.reduce((a, s) => Math.max(a, s.answered), 0);
  const inWindow = (s: Span) => s.at + s.ms >= first && s.at <= last;
  const describe = (name: string, mon: Monitor) => {
    const gcs = mon.gcs.filter(inWindow);
    const gaps = mon.gaps.filter(inWindow);
    const byKind = new Map<string, number[]>();
    for (const g of gcs) byKind.set(g.kind ?? '?', [...(byKind.get(g.kind ?? '?') ?? []), g.ms]);
    console.log(
      `${name}: ${((last - first) / 1000).toFixed(1)} s window; GC ` +
        [...byKind]
          .map(([k, v]) => `${k} ${v.length}x sum ${v.reduce((a, b) => a + b, 0).toFixed(0)} ms max ${Math.max(...v).toFixed(1)}`)
          .join(', ') +
        `; loop gaps > 5 ms: ${gaps.length}, sum ${gaps.reduce((a, g) => a + g.ms, 0).toFixed(0)} ms, max ${Math.max(0, ...gaps.map((g) => g.ms)).toFixed(1)} ms` +
        ` of which on the CPU ${gaps.reduce((a, g) => a + (g.cpuMs ?? 0), 0).toFixed(0)} ms`,
    );
    return { gcs, gaps };
  };
  const s = describe('server', srv);
  const c = describe('client', cli);
  const lat = samples.map((x) => x.answered - x.due);
  const slow = samples.filter((x) => x.answered - x.due > slowMs);
  console.log(`slow (> ${slowMs} ms): ${slow.length} of ${samples.length}; p99 ${quantile(lat, 0.99).toFixed(1)} ms`);
  // For each slow request: what overlapped its wait, in each process.
  const overlap = (spans: Span[], from: number, to: number) => spans.filter((g) => g.at < to && g.at + g.ms > from);
  let withServerGap = 0;
  let withServerGc = 0;
  let withClientGap = 0;
  let withClientGc = 0;
  let none = 0;
  const lines: string[] = [];
  for (const x of slow) {
    const from = t0 + x.due;
    const to = t0 + x.answered;
    const sg = overlap(s.gaps, from, to);
    const sc = overlap(s.gcs, from, to);
    const cg = overlap(c.gaps, from, to);
    const cc = overlap(c.gcs, from, to);
    if (sg.length) withServerGap++;
    if (sc.some((g) => g.ms > 1)) withServerGc++;
    if (cg.length) withClientGap++;
    if (cc.some((g) => g.ms > 1)) withClientGc++;
    if (!sg.length && !cg.length) none++;
    const fmt = (a: Span[]) =>
      a
        .map(
          (g) =>
            `${g.kind ?? 'gap'}@${(g.at - from).toFixed(0)}+${g.ms.toFixed(1)}${g.cpuMs !== undefined ? `(cpu ${g.cpuMs.toFixed(1)})` : ''}`,
        )
        .join(' ');
    lines.push(
      `#${x.i} ${(x.answered - x.due).toFixed(1)} ms | server gaps ${fmt(sg)} gc ${fmt(sc.filter((g) => g.ms > 1))} | client gaps ${fmt(cg)} gc ${fmt(cc.filter((g) => g.ms > 1))}`,
    );
  }
  console.log(
    `of the slow ones: overlapping a server loop gap ${withServerGap}, a server GC > 1 ms ${withServerGc}, a client loop gap ${withClientGap}, a client GC > 1 ms ${withClientGc}, neither gap ${none}`,
  );
  fs.writeFileSync(path.join(dir, 'slow.txt'), lines.join('\n'));
  fs.writeFileSync(path.join(dir, 'samples.json'), JSON.stringify({ t0, samples, server: s, client: c }));
  console.log(lines.slice(0, 40).join('\n'));
  console.log(`details: ${dir}`);
}

function devNull() {
  return new (require('node:stream').Writable)({ write: (_c: unknown, _e: unknown, done: () => void) => done() });
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
