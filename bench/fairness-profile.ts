/**
 * The fairness scene at queue level, profiled (decision 0026, "One round trip per release"): tenant
 * A's burst with FIFO, with lanes at K = 5 and at K = 10 (one worker of 10 slots), after a warm-up,
 * printing A's throughput and this process's CPU per email for each, and with PROF=1 writing a V8 CPU
 * profile of each run to bench/results/profiles/ (read them with bench/support/cpu-profile-modules.ts).
 *
 *   NODE_EXTRA_CA_CERTS=packages/testkit/certs/ca.pem PROF=1 npx tsx bench/fairness-profile.ts
 *
 * BURST (5000), ROUNDS (1) and WHICH (fifo,k5,k10) choose the runs.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Session } from 'node:inspector/promises';
import { runFairness } from '../packages/queue/test/support/fairness-experiment';
import { startTenantSmtp } from '../packages/queue/test/support/tenant-smtp';

const PROFILES = path.join(__dirname, 'results', 'profiles');

async function main(): Promise<void> {
  const smtp = await startTenantSmtp();
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.setSamplingInterval', { interval: 200 });
  const base = { burst: Number(process.env.BURST ?? 5000), trials: 10, trialGapMs: 50, concurrency: 10, smtp };
  for (const scheduling of ['fifo', 'lanes'] as const) await runFairness({ ...base, burst: 1000, maxInFlight: 5, scheduling });
  const which = (process.env.WHICH ?? 'fifo,k5,k10').split(',');
  console.log('run        A msg/s   CPU µs/email');
  for (let round = 0; round < Number(process.env.ROUNDS ?? 1); round++)
    for (const w of which) {
      const o =
        w === 'fifo' ? { scheduling: 'fifo' as const, maxInFlight: 5 } : { scheduling: 'lanes' as const, maxInFlight: Number(w.slice(1)) };
      if (process.env.PROF) await session.post('Profiler.start');
      const run = await runFairness({ ...base, ...o });
      if (process.env.PROF) {
        const { profile } = await session.post('Profiler.stop');
        fs.mkdirSync(PROFILES, { recursive: true });
        fs.writeFileSync(path.join(PROFILES, `fairness-${w}-${round}.cpuprofile`), JSON.stringify(profile));
      }
      console.log(`${w.padEnd(8)} ${run.throughput.toFixed(0).padStart(9)} ${run.cpuUsPerEmail.toFixed(0).padStart(14)}`);
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
