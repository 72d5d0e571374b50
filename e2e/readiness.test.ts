import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { SqliteStore } from '@mailroom/store';
import { faultyStore } from './support/faulty-store';
import { Mailroom, startMailroom } from './support/mailroom-harness';

/**
 * Liveness and readiness on all three apps: /healthz never asks a backend, /readyz asks each within a
 * second and names the one that failed. The store is a real SQLite store made to fail on demand.
 */
describe('/healthz (liveness) and /readyz (readiness)', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mailroom-ready-'));
  const inner = new SqliteStore({ filename: path.join(dir, 'mailroom.db') });
  const { store, fault } = faultyStore(inner);
  let m: Mailroom;
  const urls = () => ({ api: m.api.url, webhooks: m.webhooks.url, worker: `http://127.0.0.1:${m.worker!.port}` });

  beforeAll(async () => {
    m = await startMailroom({}, { store });
  });
  afterAll(async () => {
    fault(null);
    await m.stop();
    await inner.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(() => fault(null));

  async function probe(url: string) {
    const started = performance.now();
    const r = await fetch(url);
    return { status: r.status, body: (await r.json()) as any, ms: performance.now() - started };
  }

  it('answer 200 with every check ok when all is well', async () => {
    for (const [app, url] of Object.entries(urls())) {
      expect(await probe(`${url}/healthz`)).toMatchObject({ status: 200, body: { ok: true, app } });
      const checks = app === 'worker' ? { store: 'ok', redis: 'ok', worker: 'ok' } : { store: 'ok', redis: 'ok' };
      expect(await probe(`${url}/readyz`)).toMatchObject({ status: 200, body: { ok: true, app, checks } });
    }
  });

  it('a store that does not answer: 503 within about a second naming it, while /healthz stays 200', async () => {
    fault('hang');
    for (const [app, url] of Object.entries(urls())) {
      const ready = await probe(`${url}/readyz`);
      expect([app, ready.status, ready.body]).toEqual([
        app,
        503,
        expect.objectContaining({ ok: false, app, checks: expect.objectContaining({ store: 'timeout after 1000 ms', redis: 'ok' }) }),
      ]);
      expect(ready.ms).toBeLessThan(2500);
      expect((await probe(`${url}/healthz`)).status).toBe(200);
    }
  });

  it('a store that refuses: 503 with its words', async () => {
    fault('throw');
    for (const [app, url] of Object.entries(urls())) {
      const ready = await probe(`${url}/readyz`);
      expect([app, ready.status, ready.body.checks.store]).toEqual([app, 503, 'failed: the store refused the connection']);
    }
  });

  it('the worker is not ready once its BullMQ worker stopped', async () => {
    const url = urls().worker;
    await m.worker!.worker.close();
    const ready = await probe(`${url}/readyz`);
    expect(ready).toMatchObject({
      status: 503,
      body: { ok: false, checks: { worker: expect.stringMatching(/not running/), store: 'ok' } },
    });
  });
});
