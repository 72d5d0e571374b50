import { FairnessRun, runFairness, Scheduling } from './support/fairness-experiment';
import { startTenantSmtp, TenantSmtp } from './support/tenant-smtp';

/**
 * The fairness property itself, end to end through real BullMQ workers to a real SMTP server: while
 * tenant A's burst drains, another tenant's single invoice is accepted quickly with tenant lanes, and
 * waits for most of A's burst with plain FIFO. Relative assertions only (shared machine); the
 * figures with a 10,000 burst come from `npx tsx bench/fairness.ts`.
 */
describe('fair scheduling between tenants (real workers, real SMTP server)', () => {
  let smtp: TenantSmtp;
  const runs: Partial<Record<Scheduling, FairnessRun>> = {};
  const BURST = 500;
  const TRIALS = 5;

  beforeAll(async () => {
    smtp = await startTenantSmtp();
  });
  afterAll(() => smtp.close());

  for (const scheduling of ['fifo', 'lanes'] as const) {
    it(`${scheduling}: delivers A's burst and every single invoice, each once`, async () => {
      smtp.sink.clear();
      runs[scheduling] = await runFairness({
        scheduling,
        burst: BURST,
        trials: TRIALS,
        trialGapMs: 20,
        concurrency: 10,
        maxInFlight: 5,
        smtp,
        timeoutMs: 60_000,
      });
      const ids = smtp.sink.messages.map((m) => m.parsed.headers.get('x-mailroom-email-id'));
      expect(ids).toHaveLength(BURST + TRIALS);
      expect(new Set(ids).size).toBe(BURST + TRIALS);
    }, 90_000);
  }

  it('with lanes, a single invoice does not wait for the burst; with FIFO it waits for most of it', () => {
    const { fifo, lanes } = runs as Record<Scheduling, FairnessRun>;
    expect(fifo && lanes).toBeTruthy();
    // FIFO: every trial queued behind nearly all of A's burst.
    expect(Math.min(...fifo.latenciesMs)).toBeGreaterThan(0.5 * fifo.drainMs);
    // Lanes: every trial accepted in a fraction of the time A's burst takes, and far sooner than under FIFO
    // (generous bounds: a shared machine; bench/fairness.ts gives the figures).
    expect(Math.max(...lanes.latenciesMs)).toBeLessThan(0.4 * lanes.drainMs);
    expect(Math.max(...lanes.latenciesMs)).toBeLessThan(0.4 * Math.min(...fifo.latenciesMs));
  });
});
