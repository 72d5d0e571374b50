import { fairnessBench, fairnessOptionsFromEnv } from '../fairness';
import { BenchRowModule, ratio } from './bench-row';

/** Issue 8's fairness figures (bench/fairness.ts): another tenant's invoice behind A's burst, and what the lanes cost A. */
export const fairnessRow: BenchRowModule = {
  id: 'fairness',
  sizes: () => {
    const o = fairnessOptionsFromEnv();
    return {
      BENCH_FAIR_BURST: o.burst,
      BENCH_FAIR_TRIALS: o.trials,
      BENCH_FAIR_CONCURRENCY: o.concurrency,
      BENCH_FAIR_MAX_IN_FLIGHT: o.maxInFlight,
      BENCH_FAIR_ROUNDS: o.rounds,
    };
  },
  async run() {
    const r = await fairnessBench();
    const { burst, trials } = r.options;
    return [
      {
        name: `Fairness: another tenant's invoice behind a burst of ${burst}, enqueue to accepted, p99 (${trials} trials)`,
        mailroom: r.fair.p99,
        baseline: r.fifo.p99,
        unit: 'ms',
        ratio: ratio(r.fair.p99, r.fifo.p99),
        target: { on: 'mailroom', op: '<', value: 2000 },
        baselineIs: 'plain FIFO',
        note: `p50 ${r.fair.p50.toFixed(0)} ms, FIFO p50 ${r.fifo.p50.toFixed(0)} ms`,
      },
      {
        name: `Fairness: the bursting tenant's throughput with tenant lanes`,
        mailroom: r.throughputFair,
        baseline: r.throughputFifo,
        unit: 'msg/s',
        ratio: ratio(r.throughputFair, r.throughputFifo),
        target: { on: 'ratio', op: '>=', value: 0.9 },
        baselineIs: 'plain FIFO',
        note: `K = ${r.options.maxInFlight} of ${r.options.concurrency} worker slots; CPU per email ${r.cpuUsPerEmail.fair.toFixed(0)} µs vs FIFO ${r.cpuUsPerEmail.fifo.toFixed(0)} µs; Redis commands per email ${r.commandsPerEmail.fair.toFixed(2)} vs ${r.commandsPerEmail.fifo.toFixed(2)}`,
      },
      {
        // The mechanism without the cap: lanes as wide as the worker, so what is left is the lanes' own cost.
        name: `Fairness: the bursting tenant's throughput with tenant lanes as wide as the worker (K = ${r.options.concurrency})`,
        mailroom: r.throughputFairUncapped,
        baseline: r.throughputFifo,
        unit: 'msg/s',
        ratio: ratio(r.throughputFairUncapped, r.throughputFifo),
        target: { on: 'ratio', op: '>=', value: 0.9 },
        baselineIs: 'plain FIFO',
        note: `CPU per email ${r.cpuUsPerEmail.fairUncapped.toFixed(0)} µs; Redis commands per email ${r.commandsPerEmail.fairUncapped.toFixed(2)}`,
      },
    ];
  },
};
