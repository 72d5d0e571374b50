import { RedisFault, RedisFaultProxy, startRedisFaultProxy } from '@mailroom/testkit';
import { Mailroom, OPS_TOKEN, startMailroom, waitFor } from './support/mailroom-harness';

const REDIS_REQUEST_TIMEOUT_MS = 1000;
/** Longer than the request budget, as by default: the connection's commandTimeout (bull-board's bound) is the longer of the two. */
const ENQUEUE_TIMEOUT_MS = 2000;
/** The dashboard as a browser reaches it: Basic, any user name, the ops token as the password. */
const DASHBOARD_BASIC = `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}`;

/**
 * Redis failing after the dashboard gate's PING was answered, before or while bull-board reads the
 * queues (through a proxy in front of the shared Redis that ends or holds every connection right after
 * a PONG): the dashboard's JSON API answers the same 503 as its gate, naming Redis and what to check,
 * not bull-board's own 500; and it recovers by itself.
 */
describe('the ops dashboard when Redis fails after the PING', () => {
  let proxy: RedisFaultProxy;
  let m: Mailroom;
  beforeAll(async () => {
    proxy = await startRedisFaultProxy({ port: 6379 });
    m = await startMailroom(
      { REDIS_URL: proxy.url, REDIS_REQUEST_TIMEOUT_MS: String(REDIS_REQUEST_TIMEOUT_MS), ENQUEUE_TIMEOUT_MS: String(ENQUEUE_TIMEOUT_MS) },
      { worker: false },
    );
  }, 60_000);
  afterAll(async () => {
    proxy.heal();
    await m?.stop();
    await proxy?.close();
  });

  const dashboardQueues = async () => {
    const res = await fetch(`${m.api.url}/ops/dashboard/api/queues`, { headers: { authorization: DASHBOARD_BASIC } });
    return { status: res.status, body: (await res.json()) as { error?: { code: string; message: string }; queues?: { name: string }[] } };
  };

  it.each<[RedisFault, RegExp]>([
    ['drop', /Redis is not connected \((reconnecting|close|connecting)\)/],
    ['freeze', new RegExp(`Redis did not answer within ${REDIS_REQUEST_TIMEOUT_MS} ms`)],
  ])(
    '%s: 503 queue_unavailable naming Redis and REDIS_URL, then 200 once Redis is back',
    async (fault, why) => {
      expect((await dashboardQueues()).status).toBe(200);
      proxy.afterNextPong(fault);
      const started = performance.now();
      const failed = await dashboardQueues();
      // Frozen: bull-board's call waits for the connection's commandTimeout, then the PING for its budget.
      expect(performance.now() - started).toBeLessThan(ENQUEUE_TIMEOUT_MS + REDIS_REQUEST_TIMEOUT_MS + 1000);
      expect(failed.status).toBe(503);
      expect(failed.body.error).toEqual({
        code: 'queue_unavailable',
        message: expect.stringMatching(/^the ops dashboard cannot read the queues right now: /),
      });
      expect(failed.body.error!.message).toMatch(why);
      expect(failed.body.error!.message).toMatch(/Check that the Redis server at REDIS_URL is running and reachable from the API/);

      proxy.heal();
      await waitFor(async () => (await dashboardQueues()).status === 200, 'the dashboard API after the fault', 20_000, 100);
      expect((await dashboardQueues()).body.queues!.map((q) => q.name)).toContain('send');
    },
    30_000,
  );
});
