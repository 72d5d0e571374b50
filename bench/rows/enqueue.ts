import { createRedisConnection, createSendQueue } from '@mailroom/queue';
import { startMailroom } from '../../e2e/support/mailroom-harness';
import { BenchRowModule, envInt, ratio } from './bench-row';
import { inPool, timedMs } from '../support/measure';
import { invoiceBody } from './end-to-end';

const n = () => envInt('BENCH_N', 200);

/**
 * Enqueue: N POSTs to the API (validate, record, add the job; no worker running) vs N raw BullMQ
 * `queue.add` of the same jobs. (Issue 9's version, against a bare Express endpoint with 50
 * connections and a p99, replaces this module.)
 */
export const enqueueRow: BenchRowModule = {
  id: 'enqueue',
  sizes: () => ({ BENCH_N: n() }),
  async run() {
    const N = n();
    const m = await startMailroom({ LOG_LEVEL: 'silent' }, { worker: false });
    try {
      await m.call('PUT', '/v1/tenants/bench', { name: 'Bench', plan: 'premium' });
      const ids = Array.from({ length: N }, (_, i) => i);
      const redis = createRedisConnection(m.config.redisUrl);
      const q = createSendQueue(redis, `${m.config.queuePrefix}-raw`);
      const baselineMs = await timedMs(() =>
        inPool(ids, 4, (i) => q.add('send', { tenantId: 'bench', emailId: `raw-${i}` }, { jobId: `raw-${i}` })),
      );
      await q.obliterate({ force: true });
      await q.close();
      redis.disconnect();
      const oursMs = await timedMs(() => inPool(ids, 4, (i) => m.call('POST', '/v1/tenants/bench/emails', invoiceBody(i))));
      const mailroom = (N / oursMs) * 1000;
      const baseline = (N / baselineMs) * 1000;
      return [
        {
          name: `Enqueue, ${N} invoices (HTTP POST + record + job)`,
          mailroom,
          baseline,
          unit: 'req/s',
          ratio: ratio(mailroom, baseline),
          target: null,
          baselineIs: 'raw BullMQ queue.add',
          note: 'small version; the 50-connection run of issue 9 replaces it',
        },
      ];
    } finally {
      await m.stop();
    }
  },
};
