import fs from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { AppMetrics } from './app-metrics';
import { CallbackMetrics } from './callback-metrics';
import { watchCallbackSwitch } from './callback-switch-gauge';
import { EnqueueMetrics } from './enqueue-metrics';
import { watchTenantLanes } from './lane-gauges';
import { watchQueues } from './queue-gauges';
import { SendMetrics } from './send-metrics';
import { watchStoreDisk } from './store-disk-gauge';
import { watchTransportCache } from './transport-cache-gauge';
import { WebhookMetrics } from './webhook-metrics';

const ROOT = path.resolve(__dirname, '../../..');
const read = (file: string) => fs.readFileSync(path.join(ROOT, file), 'utf8');

/** Every metric the apps register, by name and type. */
function exposedMetrics(): Map<string, string> {
  const metrics = new AppMetrics('any', { opsToken: 'x'.repeat(16), logger: pino({ level: 'silent' }) });
  new EnqueueMetrics(metrics.registry);
  new SendMetrics(metrics.registry, ['sendgrid']);
  new WebhookMetrics(metrics.registry, ['sendgrid']);
  new CallbackMetrics(metrics.registry);
  watchCallbackSwitch(metrics.registry, { isEnabled: async () => true });
  watchQueues(metrics.registry, []);
  watchTransportCache(metrics.registry, { size: 0 });
  watchStoreDisk(metrics.registry, { diskUsage: async () => ({ database: 0, wal: 0, content: 0 }) });
  watchTenantLanes(metrics.registry, { stats: async () => ({ admitted: 0, backlog: 0, tenantsWithBacklog: 0 }) });
  return new Map(
    metrics.registry.getMetricsAsArray().map((m) => [(m as unknown as { name: string }).name, (m as unknown as { type: string }).type]),
  );
}

/** A sample name as queries use it, back to its metric (`x_bucket` of histogram `x` is `x`). */
function metricOf(sampleName: string, exposed: Map<string, string>): string {
  const base = sampleName.replace(/_(bucket|sum|count)$/, '');
  return base !== sampleName && exposed.get(base) === 'histogram' ? base : sampleName;
}

/** Alerts, dashboard and README stay in step with what the apps expose. */
describe('metrics named in infra/ and the README', () => {
  const exposed = exposedMetrics();
  const dashboard = JSON.parse(read('infra/grafana/dashboards/mailroom.json')) as { panels: { targets?: { expr: string }[] }[] };
  const dashboardQueries = dashboard.panels.flatMap((p) => p.targets ?? []).map((t) => t.expr);
  const queried = (text: string) => [...new Set(text.match(/\b(mailroom|process|nodejs)_[a-z0-9_]+/g) ?? [])];

  it.each([
    ['infra/prometheus/alerts.yml', read('infra/prometheus/alerts.yml')],
    ['infra/prometheus/alerts.test.yml', read('infra/prometheus/alerts.test.yml')],
    ['infra/grafana/dashboards/mailroom.json', dashboardQueries.join('\n')],
  ])('%s queries only metrics the apps expose', (_file, text) => {
    const names = queried(text);
    expect(names.length).toBeGreaterThan(0);
    expect(names.filter((n) => !exposed.has(metricOf(n, exposed)))).toEqual([]);
  });

  it('the README documents every Mailroom metric', () => {
    const readme = read('README.md');
    const mailroom = [...exposed.keys()].filter((n) => n.startsWith('mailroom_'));
    expect(mailroom.length).toBe(16);
    expect(mailroom.filter((n) => !readme.includes(`\`${n}\``))).toEqual([]);
  });

  it('every alert has a summary, a description and a runbook that is a README heading', () => {
    const alerts = read('infra/prometheus/alerts.yml');
    const names = [...alerts.matchAll(/- alert: (\w+)/g)].map((m) => m[1]);
    const runbooks = [...alerts.matchAll(/runbook: ['"]README\.md#([\w-]+)['"]/g)].map((m) => m[1]);
    expect(names).toHaveLength(11);
    expect(alerts.match(/^\s+summary: /gm)).toHaveLength(names.length);
    expect(alerts.match(/^\s+description: /gm)).toHaveLength(names.length);
    expect(runbooks).toEqual(names.map((n) => n.toLowerCase()));
    const headings = new Set(
      [...read('README.md').matchAll(/^#{2,4} (.+)$/gm)].map((m) =>
        m[1]
          .trim()
          .toLowerCase()
          .replace(/[^\w\- ]/g, '')
          .replace(/ /g, '-'),
      ),
    );
    expect(runbooks.filter((r) => !headings.has(r))).toEqual([]);
  });
});
