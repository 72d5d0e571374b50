/**
 * Runs one row module and writes its rows as JSON: `node --import tsx bench/run-row.ts <id> <out.json>`.
 * run.ts starts one of these per module; run by hand it measures one module alone.
 */
import fs from 'node:fs';
import { BENCH_ROWS } from './rows';

async function main() {
  const [id, out] = process.argv.slice(2);
  const module = BENCH_ROWS.find((m) => m.id === id);
  if (!module || !out) throw new Error(`usage: run-row.ts <${BENCH_ROWS.map((m) => m.id).join('|')}> <out.json>`);
  const rows = await module.run();
  fs.writeFileSync(out, JSON.stringify(rows));
  for (const r of rows)
    console.log(`${r.name}: ${r.mailroom.toFixed(2)} ${r.unit} (baseline ${r.baseline.toFixed(2)}, ratio ${r.ratio.toFixed(2)})`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
