import { PassThrough } from 'node:stream';
import { API_KEY, OPS_TOKEN, startMailroom } from './support/mailroom-harness';

/** Prometheus scrapes every 15 s: a scrape never writes a log line at info level or above, on any app. */
it('scrapes of /metrics are logged at debug level only, refused ones too', async () => {
  const lines: { level: number; msg?: string; req?: unknown; path?: string }[] = [];
  const stream = new PassThrough();
  stream.on('data', (d: Buffer) =>
    d
      .toString()
      .split('\n')
      .filter(Boolean)
      .forEach((l) => lines.push(JSON.parse(l))),
  );
  const m = await startMailroom({}, { logStream: stream });
  try {
    const urls = [m.api.url, m.webhooks.url, `http://127.0.0.1:${m.worker!.port}`];
    const before = lines.length;
    for (const url of urls) {
      for (const token of [OPS_TOKEN, API_KEY, undefined]) {
        await fetch(`${url}/metrics`, token ? { headers: { authorization: `Bearer ${token}` } } : {});
      }
    }
    // The API's request log still logs ordinary requests at info.
    await m.call('GET', '/v1/tenants/nobody');
    await new Promise((r) => setImmediate(r));
    const scrapeLines = lines.slice(before).filter((l) => JSON.stringify(l).includes('/metrics'));
    expect(scrapeLines.length).toBeGreaterThanOrEqual(urls.length * 3);
    expect(scrapeLines.filter((l) => l.level >= 30)).toEqual([]);
    expect(lines.slice(before).some((l) => l.level >= 30 && JSON.stringify(l).includes('/v1/tenants/nobody'))).toBe(true);
  } finally {
    await m.stop();
  }
});
