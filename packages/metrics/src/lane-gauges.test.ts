import { parsePrometheusText, sampleValue, samplesOf } from '@mailroom/testkit';
import { Registry } from 'prom-client';
import { LaneTotals, watchTenantLanes } from './lane-gauges';

describe('tenant lane gauges', () => {
  it('reports the lanes totals without a tenant label (only the queue they lead into), read once per scrape', async () => {
    let reads = 0;
    const registry = new Registry();
    watchTenantLanes(registry, {
      stats: async (): Promise<LaneTotals> => {
        reads += 1;
        return { admitted: 10, backlog: 9_990, tenantsWithBacklog: 2 };
      },
    });
    const families = parsePrometheusText(await registry.metrics());
    expect(reads).toBe(1);
    expect(sampleValue(families, 'mailroom_tenant_backlog_emails', {})).toBe(9_990);
    expect(sampleValue(families, 'mailroom_tenants_with_backlog', {})).toBe(2);
    expect(sampleValue(families, 'mailroom_tenant_admitted_emails', {})).toBe(10);
    for (const name of ['mailroom_tenant_backlog_emails', 'mailroom_tenants_with_backlog', 'mailroom_tenant_admitted_emails'])
      expect(samplesOf(families, name, {}).map((s) => s.labels)).toEqual([{ queue: 'send' }]);
  });

  it('leaves the gauges out of a scrape when Redis does not answer in time, instead of a made-up value', async () => {
    const registry = new Registry();
    watchTenantLanes(registry, { stats: () => new Promise<LaneTotals>(() => undefined) }, { timeoutMs: 50 });
    const families = parsePrometheusText(await registry.metrics());
    expect(samplesOf(families, 'mailroom_tenant_backlog_emails', {})).toEqual([]);
  });
});
