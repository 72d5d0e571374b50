import fc from 'fast-check';

/**
 * How hard the fuzz tests push. CI runs a fixed seed and a bounded number of runs per route, so a
 * failure is reproducible and the suite stays fast; a longer hunt locally:
 *   FUZZ_RUNS=2000 FUZZ_SEED=$RANDOM npx jest e2e/fuzz
 * A failure prints the seed and the shrunk request; FUZZ_SEED replays it. FUZZ_STATS=1 prints how
 * often each route answered each status, to see that the fuzzer gets past validation too.
 */
export const FUZZ = {
  seed: Number(process.env.FUZZ_SEED ?? 20_260_427),
  numRuns: Number(process.env.FUZZ_RUNS ?? 30),
  stats: Boolean(process.env.FUZZ_STATS),
};

/** `route  200:12 400:30 ...`, one line per route. */
export function statusTable(answers: Record<string, Record<number, number>>): string {
  return Object.entries(answers)
    .map(
      ([route, counts]) =>
        `${route.padEnd(50)} ${Object.entries(counts)
          .map(([status, n]) => `${status}:${n}`)
          .join(' ')}`,
    )
    .join('\n');
}

export function fuzzOptions(): fc.Parameters<unknown> {
  return { seed: FUZZ.seed, numRuns: FUZZ.numRuns, endOnFailure: false, verbose: 1 };
}
