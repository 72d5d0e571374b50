import { tapRedisCommands } from '../../test/support/redis-command-tap';
import { jobOptionsFor, SendWorkers, sleep, startSendWorkers } from '../../test/support/send-workers';
import { uniquePrefix } from '../../test/support/redis-test-prefix';
import { followLaneConcurrency, laneConcurrency } from './lane-concurrency';

describe('laneConcurrency', () => {
  it('opens K slots per busy tenant, at least K, never more than configured', () => {
    expect(laneConcurrency(10, 5, 0)).toBe(5);
    expect(laneConcurrency(10, 5, 1)).toBe(5);
    expect(laneConcurrency(10, 5, 2)).toBe(10);
    expect(laneConcurrency(10, 5, 300)).toBe(10);
    expect(laneConcurrency(4, 10, 1)).toBe(4);
    expect(laneConcurrency(1, 1, 0)).toBe(1);
  });
});

describe('followLaneConcurrency', () => {
  it('opens every slot when the busy tenants cannot be read, and narrows again when they can', async () => {
    const worker = { concurrency: 10 };
    let fail = true;
    const lanes = { maxInFlight: 3, busyTenantCount: async () => (fail ? Promise.reject(new Error('redis away')) : 1) };
    const errors: unknown[] = [];
    const stop = followLaneConcurrency(worker, lanes, { configured: 10, everyMs: 5, onError: (e) => errors.push(e) });
    worker.concurrency = 3;
    await sleep(20);
    expect(worker.concurrency).toBe(10);
    expect(errors.length).toBeGreaterThan(0);
    fail = false;
    await sleep(20);
    expect(worker.concurrency).toBe(3);
    stop();
  });
});

describe('a real worker following the lanes', () => {
  let sw: SendWorkers;
  afterEach(() => sw?.close());

  it('uses K slots for one busy tenant, and takes another tenant s job at once while K slow sends hold the slots', async () => {
    sw = await startSendWorkers(uniquePrefix('lane-conc'), { maxInFlight: 2 });
    let gate!: () => void;
    const gateOpen = new Promise<void>((r) => (gate = r));
    // B's and C's sends are held too, until the check below: three tenants busy at once, whatever the
    // machine's speed (one that finished before the other was admitted made the slots shrink again).
    let gateOthers!: () => void;
    const othersOpen = new Promise<void>((r) => (gateOthers = r));
    const started = new Set<string>();
    const worker = await sw.addWorker(async (job) => {
      started.add(job.data.tenantId);
      if (job.data.tenantId === 'A') await gateOpen;
      else await othersOpen;
    }, 8);
    await sw.lanes!.admitAndEnqueue(sw.queue, 'A', ['a1', 'a2', 'a3', 'a4', 'a5'], jobOptionsFor);
    await waitFor(() => worker.concurrency === 2);
    await sw.lanes!.admitAndEnqueue(sw.queue, 'B', ['b1'], jobOptionsFor);
    await sw.lanes!.admitAndEnqueue(sw.queue, 'C', ['c1'], jobOptionsFor);
    // A holds its 2 slots and never lets go (hung sends); B and C still start: the slots grow to 2 x 3.
    try {
      await waitFor(() => started.has('B') && started.has('C'), 3000);
      await waitFor(() => worker.concurrency === 6, 3000);
      gateOthers();
      await sw.waitForFinished(2, 3000);
    } finally {
      gateOthers();
      gate();
    }
    await sw.waitForFinished(7);
    await waitFor(() => worker.concurrency === 2); // no tenant busy: K slots, ready for the next
  });

  it('does not wake idle slots for every job of a burst: fewer Redis commands per email than with all slots open', async () => {
    const commandsPerEmail = async (follow: boolean) => {
      sw = await startSendWorkers(uniquePrefix(`lane-conc-cmds-${follow}`), { maxInFlight: 2, followLanes: follow });
      const worker = await sw.addWorker(async () => sleep(1), 8);
      const tap = tapRedisCommands();
      const burst = Array.from({ length: 200 }, (_, i) => `em_${i}`);
      await sw.lanes!.admitAndEnqueue(sw.queue, 'A', burst, jobOptionsFor);
      await sw.waitForFinished(burst.length);
      const n = tap.stop() / burst.length;
      expect(worker.concurrency).toBe(follow ? 2 : 8);
      await sw.close();
      return n;
    };
    const open = await commandsPerEmail(false);
    const following = await commandsPerEmail(true);
    // Measured: about 5.5 with all 8 slots open, about 3 when they follow the lanes.
    expect(following).toBeLessThan(open - 1);
  });
});

async function waitFor(ok: () => boolean, timeoutMs = 5000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!ok()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(10);
  }
}
