/**
 * Puts the rows of single-module runs (`BENCH_ONLY=enqueue pnpm bench` writes bench/results/only-enqueue.*)
 * into bench/results/latest.* in place of that module's rows, saying in the header which modules
 * were measured again and when. For a row changed after the full run, without measuring every row again.
 *
 *   npx tsx bench/merge-results.ts only-enqueue only-fairness
 */
import fs from 'node:fs';
import path from 'node:path';
import { BenchResults, writeResults } from './report/bench-results';

const DIR = path.join(__dirname, 'results');
const read = (name: string) => JSON.parse(fs.readFileSync(path.join(DIR, `${name}.json`), 'utf8')) as BenchResults;

const latest = read('latest');
for (const name of process.argv.slice(2)) {
  const part = read(name);
  if (part.errors.length) throw new Error(`${name} has errors: ${JSON.stringify(part.errors)}`);
  for (const mod of part.modules) {
    const at = latest.rows.findIndex((r) => r.module === mod.id);
    const rows = part.rows.filter((r) => r.module === mod.id);
    latest.rows = latest.rows.filter((r) => r.module !== mod.id);
    latest.rows.splice(at < 0 ? latest.rows.length : at, 0, ...rows);
    latest.modules = latest.modules.map((m) => (m.id === mod.id ? mod : m));
    latest.remeasured = [...(latest.remeasured ?? []).filter((x) => x.module !== mod.id), { module: mod.id, date: part.date }];
  }
}
for (const file of writeResults(latest, DIR, 'latest')) console.log(`written: ${path.relative(process.cwd(), file)}`);
