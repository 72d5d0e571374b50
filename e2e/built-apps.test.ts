import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { SourceMap } from 'node:module';
import path from 'node:path';
import type { RunningSmtpSink } from '@mailroom/testkit';
import { API_KEY, INVOICE_PDF, Mailroom, OPS_TOKEN, startMailroom, waitFor } from './support/mailroom-harness';
import { tenantOnSmtpSink } from './support/smtp-tenant';
import { AppProcess, startAppProcess } from './support/worker-process';

const ROOT = path.resolve(__dirname, '..');
/** This run's own build, beside each app's `dist` (the quick start's), which another test may be rebuilding. */
const BUILT = `dist-e2e-${process.pid}`;
const APPS = ['api', 'worker', 'webhooks'] as const;

/**
 * The apps as the image, compose and the quick start run them (decision 0074): compiled by
 * scripts/build-apps.mjs into one file each and started by plain node, with no TypeScript loader. The
 * other tests run the sources; this one runs what ships. An invoice with a PDF goes through the built
 * API and the built worker to a tenant's SMTP server; a batch goes through the API's batch-body thread,
 * a file of its own in the build; the admin UI and the queue dashboard serve their files from the packages
 * left outside the build; and the built webhooks app is ready on the same store.
 */
describe('the apps as built for production', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  const running: AppProcess[] = [];
  let api: AppProcess;

  beforeAll(async () => {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'build-apps.mjs'), BUILT], { cwd: ROOT, encoding: 'utf8' });
    expect(build.stderr).toBe('');
    expect(build.status).toBe(0);
    m = await startMailroom({}, { worker: false });
    sink = await tenantOnSmtpSink(m, 'built');
    for (const app of APPS) running.push(await startAppProcess(m, app, {}, BUILT));
    api = running[0];
  }, 120_000);

  afterAll(async () => {
    await Promise.all(running.map((p) => p.stop()));
    await m?.stop();
    await sink?.close();
    for (const app of APPS) fs.rmSync(path.join(ROOT, 'apps', app, BUILT), { recursive: true, force: true });
  });

  const call = async (method: string, urlPath: string, body?: unknown, token = API_KEY) => {
    const res = await fetch(api.url + urlPath, {
      method,
      headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return { status: res.status, body: text && res.headers.get('content-type')?.includes('json') ? JSON.parse(text) : text };
  };

  it('builds one file per app, and the batch thread beside the API', () => {
    for (const app of APPS) expect(fs.existsSync(path.join(ROOT, 'apps', app, BUILT, 'main.js'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'apps', 'api', BUILT, 'batch-body-thread.js'))).toBe(true);
  });

  it('maps each built file back to the sources (node --enable-source-maps reads the map), with no source text in the map', () => {
    const file = path.join(ROOT, 'apps', 'api', BUILT, 'main.js');
    const line = fs
      .readFileSync(file, 'utf8')
      .split('\n')
      .findIndex((l) => l.startsWith('async function enqueueEmail('));
    expect(line).toBeGreaterThan(0);
    const payload = JSON.parse(fs.readFileSync(`${file}.map`, 'utf8'));
    expect(payload.sourcesContent).toBeUndefined();
    const entry = new SourceMap(payload).findEntry(line, 0) as { originalSource?: string; originalLine?: number };
    expect(path.resolve(path.dirname(file), entry.originalSource ?? '')).toBe(
      path.join(ROOT, 'apps', 'api', 'src', 'use-cases', 'enqueue-email.ts'),
    );
    expect(entry.originalLine).toBeGreaterThan(0);
  });

  it('runs every app under plain node', () => {
    for (const p of running) expect(p.child.spawnargs).toEqual([process.execPath, path.join(ROOT, 'apps', p.app, BUILT, 'main.js')]);
  });

  it('sends an invoice with its PDF through the built API and worker, and records it accepted', async () => {
    const posted = await call('POST', '/v1/tenants/built/emails', {
      to: ['client@customer.example'],
      subject: 'Invoice B-1',
      text: 'Your invoice is attached.',
      attachments: [{ filename: 'B-1.pdf', contentType: 'application/pdf', content: INVOICE_PDF.toString('base64') }],
      document: { type: 'invoice', id: 'B-1' },
    });
    expect(posted.status).toBe(202);
    const id = (posted.body as { id: string }).id;
    const email = await waitFor(
      async () => {
        const got = await call('GET', `/v1/tenants/built/emails/${id}`);
        return (got.body as { status: string }).status === 'accepted' ? got.body : undefined;
      },
      'the email to be accepted',
      20_000,
    );
    expect(email).toMatchObject({ id, status: 'accepted' });
    expect(sink.messages).toHaveLength(1);
    const pdf = sink.messages[0].parsed.attachments[0];
    expect(pdf.filename).toBe('B-1.pdf');
    expect(Buffer.compare(pdf.content, INVOICE_PDF)).toBe(0);
  });

  it("answers a batch through the API's batch thread, a bad item beside a good one", async () => {
    const res = await call('POST', '/v1/tenants/built/emails/batch', {
      items: [
        { idempotencyKey: 'built-batch-1', to: ['a@customer.example'], subject: 'Invoice B-2', text: 'Invoice' },
        { idempotencyKey: 'built-batch-2', to: ['not an address'], subject: 'Invoice B-3', text: 'Invoice' },
      ],
    });
    expect(res.status).toBe(207);
    const [good, bad] = (res.body as { results: { index: number; status?: string; error?: { code: string } }[] }).results;
    expect(good).toMatchObject({ index: 0, status: 'queued' });
    expect(bad.index).toBe(1);
    expect(bad.error?.code).toEqual(expect.any(String));
  });

  it('serves the admin UI and the queue dashboard from their packages', async () => {
    const ui = await fetch(`${api.url}/ui/`);
    expect(ui.status).toBe(200);
    expect(await ui.text()).toMatch(/<html/i);
    const basic = `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}`;
    const board = await fetch(`${api.url}/ops/dashboard/`, { headers: { authorization: basic } });
    expect(board.status).toBe(200);
    expect(await board.text()).toMatch(/<html/i);
  });

  it('has the built webhooks app ready on the same store and Redis', async () => {
    const webhooks = running[2];
    const ready = await fetch(`${webhooks.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ ok: true, app: 'webhooks', checks: { store: 'ok' } });
  });
});
