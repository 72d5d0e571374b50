/**
 * pnpm bench: every figure of issue 9 beside a baseline measured in the same run against the same
 * local servers (these machines are shared and absolute figures drift; ratios much less). Prints the
 * table and writes bench/results/latest.md and latest.json: the date, the machine, and per figure
 * Mailroom's value, the baseline's, the ratio and the target with pass/fail.
 *
 * Each row module (bench/rows/, listed in bench/rows/index.ts) runs in its own process, one after the
 * other, so no module's heap, sockets or timers weigh on the next one's figures, and after a `sync`, so
 * no dirty page cache left by what ran before weighs on its writes (bench/support/write-back.ts).
 *
 * Sizes (environment variables; the defaults finish in a few minutes on 2 cores):
 *   BENCH_ONLY=history,webhooks   only these modules (ids: smtp, e2e, enqueue, batch-enqueue, webhooks, history,
 *                                 worker-memory, fairness); results go to bench/results/only-<ids>.*,
 *                                 latest.* is written by full runs only
 *   BENCH_N=200                   invoices in the SMTP and enqueue rows
 *   BENCH_E2E_N=2000              the end-to-end row (bench/rows/end-to-end.ts): invoices of 30 KB,
 *   BENCH_E2E_CLIENTS=20          posted by this many clients, against raw nodemailer with a pool of
 *   BENCH_E2E_RAW_POOL=5          this many connections; BENCH_E2E_CPU_PROF=dir profiles API and worker
 *   BENCH_E2E_WARM=1000           invoices each side sends before its clock (JIT, pools, heaps)
 *   BENCH_ENQUEUE_WARM=2000       requests each server answers before the single-enqueue clocks
 *   BENCH_HISTORY=200000          emails of the large tenant in the history data set (1000000 for the
 *                                 issue's figure), plus a tenth as many spread over small tenants;
 *                                 built once and cached under bench/.data, keyed by schema version
 *   BENCH_HISTORY_QUERIES=300     queries per history filter (p50 and p99 over them)
 *   BENCH_BATCH_EMAILS=5000       invoices (30 KB PDF each) in the batch enqueue row, BENCH_BATCH_SIZE=100 per
 *                                 request, BENCH_BATCH_IN_FLIGHT=4 requests at a time; BENCH_BATCH_SINGLES=1000
 *                                 single enqueues beside it for the note
 *   BENCH_WEBHOOK_EVENTS=6000     provider events per webhook row (SendGrid, Mailgun, Mailjet), in each of
 *                                 BENCH_WEBHOOK_ROUNDS=3 interleaved rounds (the row: the median round)
 *   BENCH_MEMORY_TENANTS=10000    tenants whose transports cycle through the worker's cache
 *   BENCH_FAIR_BURST=10000 ...    the fairness row's sizes (see bench/fairness.ts)
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BENCH_ROWS } from './rows';
import { BenchResults, renderConsole, toResultRow, writeResults } from './report/bench-results';
import { describeMachine } from './report/machine';
import { writeBackDirtyPages } from './support/write-back';
import { buildAppsOnce } from './support/app-process';
import type { BenchRow } from './rows/bench-row';

const RESULTS_DIR = path.join(__dirname, 'results');

/** One module in a child process; its rows come back as JSON in a file. */
function runModuleInChild(id: string): Promise<BenchRow[]> {
  const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-bench-')), 'rows.json');
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(__dirname, 'run-row.ts'), id, out], {
      stdio: 'inherit',
      env: process.env,
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      try {
        if (code !== 0) throw new Error(`exited with ${signal ?? code}`);
        resolve(JSON.parse(fs.readFileSync(out, 'utf8')) as BenchRow[]);
      } catch (e) {
        reject(e as Error);
      } finally {
        fs.rmSync(path.dirname(out), { recursive: true, force: true });
      }
    });
  });
}

async function main() {
  const only = (process.env.BENCH_ONLY ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = only.filter((id) => !BENCH_ROWS.some((m) => m.id === id));
  if (unknown.length)
    throw new Error(`BENCH_ONLY names unknown modules: ${unknown.join(', ')} (known: ${BENCH_ROWS.map((m) => m.id).join(', ')})`);
  const modules = only.length ? BENCH_ROWS.filter((m) => only.includes(m.id)) : BENCH_ROWS;
  const started = Date.now();
  // The apps as production runs them, compiled from the sources as they are now, once for every row.
  buildAppsOnce();
  const results: BenchResults = {
    date: new Date().toISOString(),
    durationSeconds: 0,
    machine: describeMachine(),
    modules: modules.map((m) => ({ id: m.id, sizes: m.sizes() })),
    rows: [],
    errors: [],
  };
  for (const m of modules) {
    const written = writeBackDirtyPages();
    console.log(`\n== ${m.id} (${(written.bytes / 1048576).toFixed(0)} MB of dirty pages written back first, ${written.ms.toFixed(0)} ms)`);
    try {
      for (const row of await runModuleInChild(m.id)) results.rows.push(toResultRow(m.id, row));
    } catch (e) {
      results.errors.push({ module: m.id, message: (e as Error).message });
      console.error(`${m.id} could not be measured:`, e);
    }
  }
  results.durationSeconds = (Date.now() - started) / 1000;
  console.log(renderConsole(results));
  const name = only.length ? `only-${only.join('-')}` : 'latest';
  for (const file of writeResults(results, RESULTS_DIR, name)) console.log(`written: ${path.relative(process.cwd(), file)}`);
  return results.errors.length === 0;
}

main().then(
  (ok) => process.exit(ok ? 0 : 1),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
