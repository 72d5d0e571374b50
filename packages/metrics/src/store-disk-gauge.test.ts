import { Registry } from 'prom-client';
import { watchStoreDisk } from './store-disk-gauge';

describe('mailroom_store_bytes', () => {
  it("reports the store's files on each scrape, one sample per file", async () => {
    const registry = new Registry();
    let wal = 4096;
    watchStoreDisk(registry, { diskUsage: async () => ({ database: 1_000_000, wal, content: 30_720 }) });
    const values = async () =>
      Object.fromEntries((await registry.getSingleMetric('mailroom_store_bytes')!.get()).values.map((v) => [v.labels.file, v.value]));
    expect(await values()).toEqual({ database: 1_000_000, wal: 4096, content: 30_720 });
    wal = 52_000_000;
    expect((await values()).wal).toBe(52_000_000);
  });

  it('has no samples for a scrape whose read does not answer in time (the series goes stale, nothing is made up)', async () => {
    const registry = new Registry();
    watchStoreDisk(registry, { diskUsage: () => new Promise(() => undefined) }, { timeoutMs: 20 });
    expect((await registry.getSingleMetric('mailroom_store_bytes')!.get()).values).toEqual([]);
  });
});
