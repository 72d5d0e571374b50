import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { parsePrometheusText, sampleValue } from '@mailroom/testkit';
import pino from 'pino';
import { register as globalRegistry } from 'prom-client';
import { AppMetrics } from './app-metrics';
import { EnqueueMetrics } from './enqueue-metrics';

const OPS_TOKEN = 'ops-token-for-this-test-0001';
const logger = pino({ level: 'silent' });

async function serve(handler: http.RequestListener): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Busy-loops until this process has spent `micros` more of user CPU. */
function spendUserCpu(micros: number): void {
  const until = process.cpuUsage().user + micros;
  while (process.cpuUsage().user < until) Math.sqrt(Math.random());
}

describe('AppMetrics', () => {
  it('gives each app instance its own registry with process metrics labelled by app, leaving the global registry alone', async () => {
    const api = new AppMetrics('api', { opsToken: OPS_TOKEN, logger });
    const worker = new AppMetrics('worker', { opsToken: OPS_TOKEN, logger });
    new EnqueueMetrics(api.registry).emailEnqueued({ transport: { mode: 'smtp' }, status: 'queued' });
    // A second registry of the same kind must not collide (three apps in one test process).
    new EnqueueMetrics(new AppMetrics('api', { opsToken: OPS_TOKEN, logger }).registry);
    // prom-client counts the process's CPU from the registry's creation; spend some, so the
    // counters cannot read 0 on a kernel whose CPU accounting ticks coarsely.
    spendUserCpu(5_000);

    const a = parsePrometheusText(await api.registry.metrics());
    const w = parsePrometheusText(await worker.registry.metrics());
    expect(sampleValue(a, 'process_cpu_user_seconds_total', { app: 'api' })).toBeGreaterThan(0);
    expect(sampleValue(w, 'process_cpu_user_seconds_total', { app: 'worker' })).toBeGreaterThan(0);
    expect(sampleValue(a, 'mailroom_emails_enqueued_total', { app: 'api', mode: 'smtp' })).toBe(1);
    expect(w.find((f) => f.name === 'mailroom_emails_enqueued_total')).toBeUndefined();
    expect(a.flatMap((f) => f.samples).every((s) => s.labels.app === 'api')).toBe(true);
    expect(globalRegistry.getMetricsAsArray()).toHaveLength(0);
  });

  describe('serve(): GET /metrics in front of the app', () => {
    const metrics = new AppMetrics('webhooks', { opsToken: OPS_TOKEN, logger });
    const reachedApp: string[] = [];
    let server: Awaited<ReturnType<typeof serve>>;
    beforeAll(async () => {
      server = await serve(
        metrics.serve((req, res) => {
          reachedApp.push(`${req.method} ${req.url}`);
          res.writeHead(404).end();
        }),
      );
    });
    afterAll(() => server.close());
    const scrape = (headers: Record<string, string> = {}, method = 'GET', path = '/metrics') =>
      fetch(server.url + path, { method, headers });

    it('answers the Prometheus text format to the ops token as a Bearer token', async () => {
      const res = await scrape({ authorization: `Bearer ${OPS_TOKEN}` });
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('text/plain; version=0.0.4; charset=utf-8');
      const families = parsePrometheusText(await res.text());
      expect(families.find((f) => f.name === 'nodejs_heap_size_used_bytes')?.type).toBe('gauge');
      expect((await scrape({ authorization: `bearer ${OPS_TOKEN}` }, 'GET', '/metrics?x=1')).status).toBe(200);
    });

    it('refuses no token, a Basic header and any other token with 401 and a Bearer challenge', async () => {
      const none = await scrape();
      expect(none.status).toBe(401);
      expect(none.headers.get('www-authenticate')).toBe('Bearer realm="mailroom metrics"');
      expect(await none.json()).toEqual({
        error: { code: 'unauthenticated', message: expect.stringContaining('Authorization: Bearer <OPS_TOKEN>') },
      });
      const basic = await scrape({ authorization: `Basic ${Buffer.from(`x:${OPS_TOKEN}`).toString('base64')}` });
      expect(basic.status).toBe(401);
      for (const token of ['a-platform-api-key', OPS_TOKEN.slice(0, -1), `${OPS_TOKEN}x`]) {
        const res = await scrape({ authorization: `Bearer ${token}` });
        expect(res.status).toBe(401);
        expect(res.headers.get('www-authenticate')).toMatch(/error="invalid_token"/);
        expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_token');
      }
    });

    it('passes every other request to the app untouched', async () => {
      reachedApp.length = 0;
      await scrape({}, 'POST');
      await scrape({}, 'GET', '/metricsx');
      await scrape({}, 'GET', '/healthz');
      expect(reachedApp).toEqual(['POST /metrics', 'GET /metricsx', 'GET /healthz']);
    });
  });
});
