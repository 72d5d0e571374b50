import fs from 'node:fs';
import path from 'node:path';
import { BenchRow, describeTarget, meetsTarget } from '../rows/bench-row';
import type { MachineInfo } from './machine';

export interface ResultRow extends BenchRow {
  module: string;
  /** The target in words (`ratio >= 0.5`, `< 20 ms`), empty when none. */
  targetText: string;
  /** true: met, false: missed, null: no target. */
  pass: boolean | null;
}

export interface BenchResults {
  date: string;
  durationSeconds: number;
  machine: MachineInfo;
  /** The modules run, in order, with the sizes each used. */
  modules: { id: string; sizes: Record<string, number | string> }[];
  rows: ResultRow[];
  /** Modules that threw: named in the table, so a broken row is never silently missing. */
  errors: { module: string; message: string }[];
  /** Modules measured again after the full run (bench/merge-results.ts), each with its own run's date. */
  remeasured?: { module: string; date: string }[];
}

export function toResultRow(module: string, row: BenchRow): ResultRow {
  return { module, ...row, targetText: describeTarget(row.target, row.unit), pass: meetsTarget(row) };
}

/** Digits shown by default: none from 100 on, one from 10, two below. */
const defaultDigits = (v: number) => (Math.abs(v) >= 100 ? 0 : Math.abs(v) >= 10 ? 1 : 2);
const num = (v: number, digits?: number) => (!Number.isFinite(v) ? 'n/a' : v.toFixed(digits ?? defaultDigits(v)));

/**
 * The figure its target judges, with as many more digits as it takes to tell it from the target: a
 * ratio of 0.899 against >= 0.9 reads 0.899 FAIL, not 0.90 FAIL.
 */
function judged(r: ResultRow, on: 'mailroom' | 'ratio'): string {
  const v = r[on];
  const t = r.target;
  let shown = num(v);
  if (!t || t.on !== on || v === t.value) return shown;
  const base = defaultDigits(v);
  for (let digits = base + 1; digits <= base + 3 && shown === num(t.value, digits - 1); digits++) shown = num(v, digits);
  return shown;
}
const verdict = (r: ResultRow) => (r.pass === null ? '' : r.pass ? 'pass' : 'FAIL');

function sizesLine(r: BenchResults): string {
  return r.modules
    .map(
      (m) =>
        `${m.id}: ${
          Object.entries(m.sizes)
            .map(([k, v]) => `${k}=${v}`)
            .join(' ') || '(fixed)'
        }`,
    )
    .join('; ');
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Measured ${r.date} in ${Math.round(r.durationSeconds)} s on ${m.cores} cores (${m.cpuModel}), ${m.memoryGiB} GiB, Node ${m.node}, ${m.os}.`,
    `Sizes: ${sizesLine(r)}.`,
    ...(r.remeasured?.length
      ? [`Measured again on their own, same machine: ${r.remeasured.map((x) => `${x.module} at ${x.date}`).join(', ')}.`]
      : []),
    '',
    '| figure | Mailroom | baseline (same run) | ratio | target | |',
    '|---|---|---|---|---|---|',
    ...r.rows.map(
      (x) =>
        `| ${x.name}${x.note ? ` (${x.note})` : ''} | ${judged(x, 'mailroom')} ${x.unit} | ${num(x.baseline)} ${x.unit}: ${x.baselineIs} | ${judged(x, 'ratio')} | ${x.targetText} | ${verdict(x)} |`,
    ),
    ...r.errors.map((e) => `| ${e.module}: could not be measured: ${e.message.replace(/\|/g, '/')} | | | | | FAIL |`),
  ];
  return `${lines.join('\n')}\n`;
}

export function renderConsole(r: BenchResults): string {
  const w = { name: 64, fig: 16 };
  const pad = (s: string, n: number) => (s.length > n ? `${s.slice(0, n - 1)}…` : s.padEnd(n));
  const out = [
    '',
    `${pad('figure', w.name)} ${pad('mailroom', w.fig)} ${pad('baseline', w.fig)} ${pad('ratio', 7)} ${pad('target', 18)}`,
    '-'.repeat(w.name + 2 * w.fig + 7 + 18 + 10),
    ...r.rows.map(
      (x) =>
        `${pad(x.name, w.name)} ${pad(`${judged(x, 'mailroom')} ${x.unit}`, w.fig)} ${pad(`${num(x.baseline)} ${x.unit}`, w.fig)} ${pad(judged(x, 'ratio'), 7)} ${pad(x.targetText, 18)} ${verdict(x)}`,
    ),
    ...r.errors.map((e) => `${pad(`${e.module}: could not be measured`, w.name)} ${e.message}`),
    '',
    `${r.machine.cores} cores, ${r.machine.memoryGiB} GiB, Node ${r.machine.node}; ${Math.round(r.durationSeconds)} s. Sizes: ${sizesLine(r)}.`,
  ];
  return out.join('\n');
}

/** Writes `<dir>/<name>.md` and `<dir>/<name>.json`; answers their paths. */
export function writeResults(r: BenchResults, dir: string, name: string): string[] {
  fs.mkdirSync(dir, { recursive: true });
  const md = path.join(dir, `${name}.md`);
  const json = path.join(dir, `${name}.json`);
  fs.writeFileSync(md, `# Mailroom benchmark\n\n${renderMarkdown(r)}`);
  fs.writeFileSync(json, `${JSON.stringify(r, null, 2)}\n`);
  return [md, json];
}
