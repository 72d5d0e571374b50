/**
 * The worker's slots following the tenant lanes, or all open (decision 0026, "Idle slots"): tenant A's
 * burst at K = 5 of 10 slots with another tenant's invoice every 50 ms, the two settings alternated.
 *
 *   NODE_EXTRA_CA_CERTS=packages/testkit/certs/ca.pem npx tsx bench/lane-slots.ts
 */
import { quantile, runFairness } from '../packages/queue/test/support/fairness-experiment';
import { startTenantSmtp } from '../packages/queue/test/support/tenant-smtp';

const int = (name: string, fallback: number) => Number(process.env[name] ?? fallback);

async function main(): Promise<void> {
  const smtp = await startTenantSmtp();
  const base = { burst: int('BENCH_SLOTS_BURST', 3000), trials: 30, trialGapMs: 50, concurrency: 10, maxInFlight: 5, smtp };
  await runFairness({ ...base, burst: 500, trials: 2, scheduling: 'lanes' }); // warm-up
  console.log('slots         A msg/s   CPU µs/email   B p50 / p99 ms');
  for (let round = 0; round < int('BENCH_SLOTS_ROUNDS', 2); round++)
    for (const followLanes of round % 2 ? [true, false] : [false, true]) {
      const run = await runFairness({ ...base, scheduling: 'lanes', followLanes });
      const b = `${quantile(run.latenciesMs, 0.5)} / ${quantile(run.latenciesMs, 0.99)}`;
      console.log(
        `${followLanes ? 'follow lanes' : 'all open    '}  ${run.throughput.toFixed(0).padStart(7)}   ${run.cpuUsPerEmail.toFixed(0).padStart(12)}   ${b}`,
      );
    }
  await smtp.close();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
