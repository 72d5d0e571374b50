/**
 * The contract every benchmark row module keeps (bench/rows/*.ts, listed in bench/rows/index.ts).
 *
 * A module measures Mailroom and its baseline side by side in the same run, against the same local
 * servers, and returns one BenchRow per figure (one module may give several: one per history filter).
 * run.ts prints them, judges each against its target and writes bench/results/latest.{md,json}.
 */

/** What the issue asks of a figure: `on` the ratio (mailroom / baseline) or on Mailroom's own figure. */
export interface BenchTarget {
  on: 'ratio' | 'mailroom';
  op: '>=' | '<=' | '<' | '>';
  value: number;
}

export interface BenchRow {
  /** What was measured, with the size that matters: `Webhook ingestion, SendGrid batches of 50 (6,000 events)`. */
  name: string;
  /** Mailroom's figure, in `unit`. */
  mailroom: number;
  /** The baseline's figure, same unit, measured in the same run. */
  baseline: number;
  /** `msg/s`, `events/s`, `req/s` (higher is better), `ms` (a latency, lower is better), `MB`... */
  unit: string;
  /** mailroom / baseline (the `ratio()` helper below; a baseline of 0 gives NaN, printed as "n/a"). */
  ratio: number;
  /** What the issue asks, or null when the row is reported without one. */
  target: BenchTarget | null;
  /** What the baseline is, in a few words: `raw nodemailer, pool of 5`, `unfiltered first page`. */
  baselineIs: string;
  /** Anything else the reader needs beside the figures (the p50 when the figure is a p99, a count). */
  note?: string;
}

export interface BenchRowModule {
  /** Short and stable: `BENCH_ONLY=history,webhooks pnpm bench` runs only these. */
  id: string;
  /** The environment variables that size it, with their defaults (printed in the results). */
  sizes(): Record<string, number | string>;
  /** Measures; throws when it cannot (run.ts reports the error in the table and goes on). */
  run(): Promise<BenchRow[]>;
}

export function ratio(mailroom: number, baseline: number): number {
  return baseline === 0 ? Number.NaN : mailroom / baseline;
}

/**
 * Of rounds measured side by side with their baseline (decisions 0051 and 0070), the one with the
 * median ratio: the lower middle one for an even count.
 */
export function medianRound<T extends { ratio: number }>(rounds: readonly T[]): T {
  return [...rounds].sort((a, b) => a.ratio - b.ratio)[Math.floor((rounds.length - 1) / 2)];
}

/** `the median of 3 rounds, ratios 0.59, 0.66, 0.65` for a row's note; '' for a single round. */
export function roundsNote(rounds: readonly { ratio: number }[]): string {
  return rounds.length > 1 ? `the median of ${rounds.length} rounds, ratios ${rounds.map((r) => r.ratio.toFixed(2)).join(', ')}` : '';
}

/** Whether the row meets its target; null when it has none (or the figure could not be taken). */
export function meetsTarget(row: BenchRow): boolean | null {
  if (!row.target) return null;
  const v = row.target.on === 'ratio' ? row.ratio : row.mailroom;
  if (!Number.isFinite(v)) return false;
  switch (row.target.op) {
    case '>=':
      return v >= row.target.value;
    case '<=':
      return v <= row.target.value;
    case '<':
      return v < row.target.value;
    case '>':
      return v > row.target.value;
  }
}

export function describeTarget(t: BenchTarget | null, unit: string): string {
  if (!t) return '';
  return t.on === 'ratio' ? `ratio ${t.op} ${t.value}` : `${t.op} ${t.value} ${unit}`;
}

/** An integer size from the environment (bench code only: the apps read theirs through packages/config). */
export function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`${name} must be a whole number, got ${JSON.stringify(raw)}`);
  return n;
}
