import { deferJob } from '../src/limits/defer-job';
import type { LimitWindow } from '../src/limits/sending-limits';
import { TenantRateLimiter } from '../src/limits/tenant-rate-limiter';
import { uniquePrefix } from './support/redis-test-prefix';
import { SendWorkers, startSendWorkers } from './support/send-workers';
import { startTenantSmtp, TenantSmtp } from './support/tenant-smtp';

/**
 * A tenant's own limit through two real workers to a real SMTP server: the limit is met exactly,
 * the rest is deferred (not failed, no attempt used), and another tenant is not held up by it.
 * A 2-second window stands in for "5 per minute" so the test does not take minutes.
 */
describe('tenant sending limits with real workers and a real SMTP server', () => {
  let sw: SendWorkers;
  let smtp: TenantSmtp;
  afterEach(async () => {
    await sw.close();
    await smtp.close();
  });

  it('sends exactly the limit per window, defers the rest until it may go, fails none', async () => {
    sw = await startSendWorkers(uniquePrefix('limits-worker'));
    smtp = await startTenantSmtp();
    const windows: Record<string, LimitWindow[]> = { A: [{ name: 'test-2s', windowMs: 2000, limit: 5 }], B: [] };
    const taken: Record<string, number[]> = { A: [], B: [] };
    const deferred: { emailId: string; until: number }[] = [];
    const attemptsAtSend: number[] = [];
    const failed: string[] = [];
    for (let i = 0; i < 2; i++) {
      // two workers, two connections, two limiters: the count lives in Redis, not in a worker
      const limiter = new TenantRateLimiter(sw.redis, { prefix: sw.prefix });
      const worker = await sw.addWorker(async (job, token) => {
        const { tenantId, emailId } = job.data;
        const now = Date.now(); // the limiter's clock for this send
        const take = await limiter.tryTakeWindows(tenantId, windows[tenantId], now);
        if (!take.ok) {
          deferred.push({ emailId, until: take.retryAtMs });
          await deferJob(job, token, take.retryAtMs);
        }
        taken[tenantId].push(now);
        attemptsAtSend.push(job.attemptsMade);
        await smtp.send(job.data);
      }, 4);
      worker.on('failed', (job) => failed.push(String(job?.id)));
    }

    const started = Date.now();
    await sw.queue.addBulk(
      Array.from({ length: 8 }, (_, i) => ({
        name: 'send',
        data: { tenantId: 'A', emailId: `em_a${i}` },
        opts: { jobId: `em_a${i}`, attempts: 1 },
      })),
    );
    await sw.queue.add('send', { tenantId: 'B', emailId: 'em_b0' }, { jobId: 'em_b0', attempts: 1 });
    await sw.waitForFinished(9, 15_000);

    expect(smtp.sink.messages).toHaveLength(9);
    expect(failed).toEqual([]);
    expect(attemptsAtSend.every((n) => n === 0)).toBe(true);
    expect(deferred.length).toBeGreaterThanOrEqual(3);
    expect(new Set(deferred.map((d) => d.emailId)).size).toBe(3); // the three over the limit, and only they
    // never more than 5 in any 2 s, measured at the moment each send was allowed
    const a = taken.A.sort((x, y) => x - y);
    for (let i = 0; i + 5 < a.length; i++) expect(a[i + 5] - a[i]).toBeGreaterThanOrEqual(2000);
    expect(a.slice(0, 5).every((t) => t - started < 1500)).toBe(true); // the first five went at once
    expect(taken.B[0] - started).toBeLessThan(1500); // B has no limit and did not wait for A's
  });
});
