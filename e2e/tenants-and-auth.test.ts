import { Mailroom, OPS_TOKEN, startMailroom } from './support/mailroom-harness';

describe('tenants, plans and auth', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
  });
  afterAll(() => m.stop());

  it('upserts a tenant with a plan and reads it back', async () => {
    const created = await m.call('PUT', '/v1/tenants/acme', { name: 'ACME S.L.', plan: 'basic' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ id: 'acme', name: 'ACME S.L.', plan: 'basic' });
    const updated = await m.call('PUT', '/v1/tenants/acme', { name: 'ACME S.L.', plan: 'premium' });
    expect(updated.status).toBe(200);
    expect(updated.body.createdAt).toBe(created.body.createdAt);
    expect((await m.call('GET', '/v1/tenants/acme')).body.plan).toBe('premium');
  });

  it('refuses an unknown plan and an unknown tenant with messages that say what to fix', async () => {
    const bad = await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'gold' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/plan must be one of free, basic, standard, advanced, premium/);
    const missing = await m.call('GET', '/v1/tenants/nobody');
    expect(missing.status).toBe(404);
    expect(missing.body.error.code).toBe('tenant_not_found');
  });

  it('answers 401 without a token or with a forged one', async () => {
    expect((await m.call('GET', '/v1/tenants/acme', undefined, { token: '' })).status).toBe(401);
    expect((await m.call('GET', '/v1/tenants/acme', undefined, { token: 'nope' })).status).toBe(401);
  });

  it('a tenant token reaches its tenant only, on every route', async () => {
    await m.call('PUT', '/v1/tenants/globex', { name: 'Globex', plan: 'premium' });
    const minted = await m.call('POST', '/v1/tenants/acme/tokens');
    expect(minted.status).toBe(201);
    expect(Date.parse(minted.body.expiresAt)).toBeGreaterThan(Date.now());
    const token = minted.body.token as string;
    expect((await m.call('GET', '/v1/tenants/acme', undefined, { token })).status).toBe(200);
    const routes: [string, string, unknown?][] = [
      ['GET', '/v1/tenants/globex'],
      ['PUT', '/v1/tenants/globex', { name: 'x', plan: 'free' }],
      ['GET', '/v1/tenants/globex/email-settings'],
      ['PUT', '/v1/tenants/globex/email-settings', { mode: 'platform', senderName: 'x', replyTo: 'a@b.co' }],
      ['POST', '/v1/tenants/globex/email-settings/test', {}],
      ['POST', '/v1/tenants/globex/emails', { to: ['a@b.co'], subject: 's', text: 't' }],
      ['POST', '/v1/tenants/globex/emails/batch', { items: [{ idempotencyKey: 'k', to: ['a@b.co'], subject: 's', text: 't' }] }],
      ['GET', '/v1/tenants/globex/emails'],
      ['GET', '/v1/tenants/globex/emails/em_1'],
      ['POST', '/v1/tenants/globex/emails/em_1/retry'],
      ['POST', '/v1/tenants/globex/emails/em_1/cancel'],
      ['POST', '/v1/tenants/globex/tokens'],
      ['GET', '/v1/tenants/globex/suppressions'],
      ['POST', '/v1/tenants/globex/suppressions', { address: 'a@b.co' }],
      ['DELETE', '/v1/tenants/globex/suppressions/a@b.co'],
    ];
    for (const [method, url, body] of routes) {
      const r = await m.call(method, url, body, { token });
      expect([method, url, r.status]).toEqual([method, url, 403]);
    }
    // A tenant may not change its own plan or mint tokens: those are the platform's.
    expect((await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'premium' }, { token })).status).toBe(403);
  });

  it('the ops token reaches no tenant route', async () => {
    expect((await m.call('GET', '/v1/tenants/acme', undefined, { token: OPS_TOKEN })).status).toBe(403);
  });

  it('GET /healthz and /readyz answer once ready', async () => {
    const r = await fetch(`${m.api.url}/healthz`);
    expect(r.status).toBe(200);
    expect((await fetch(`${m.webhooks.url}/healthz`)).status).toBe(200);
    expect((await fetch(`${m.api.url}/readyz`)).status).toBe(200);
    expect((await fetch(`${m.webhooks.url}/readyz`)).status).toBe(200);
  });
});

describe('ops', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
  });
  afterAll(() => m.stop());

  it('queue counts and the dashboard take the ops token only', async () => {
    await m.call('PUT', '/v1/tenants/o', { name: 'O', plan: 'free' });
    await m.call('PUT', '/v1/tenants/o/email-settings', { mode: 'platform', senderName: 'O', replyTo: 'o@o.example' });
    await m.call('POST', '/v1/tenants/o/emails', { to: ['a@b.example'], subject: 's', text: 't' });
    const counts = await m.call('GET', '/ops/queues', undefined, { token: OPS_TOKEN });
    expect(counts.status).toBe(200);
    expect(counts.body.queues[0]).toMatchObject({
      paused: false,
      counts: { waiting: 1, active: 0, failed: 0 },
      lanes: { tenants: 1, admitted: 1, backlog: 0, tenantsWithBacklog: 0 },
    });
    // A platform key is known but is not the ops token: 403, not the login prompt an unknown caller gets.
    const platformKey = await m.call('GET', '/ops/queues');
    expect([platformKey.status, platformKey.body.error.code, platformKey.headers.get('www-authenticate')]).toEqual([
      403,
      'forbidden',
      null,
    ]);
    expect(platformKey.body.error.message).toBe('ops routes take the ops token, not a platform key');
    const unknown = await fetch(`${m.api.url}/ops/queues`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(unknown.status).toBe(401);
    const basic = `Basic ${Buffer.from(`ops:${OPS_TOKEN}`).toString('base64')}`;
    const page = await fetch(`${m.api.url}/ops/dashboard/`, { headers: { authorization: basic } });
    expect(page.status).toBe(200);
    expect(await page.text()).toMatch(/<html/i);
    const boardApi = await fetch(`${m.api.url}/ops/dashboard/api/queues`, { headers: { authorization: basic } });
    expect(boardApi.status).toBe(200);
    const board = (await boardApi.json()) as { queues: { name: string; counts: Record<string, number> }[] };
    expect(board.queues.map((q) => [q.name, q.counts.waiting])).toEqual([
      ['send', 1],
      ['callbacks', 0],
    ]);
    const refused = await fetch(`${m.api.url}/ops/dashboard/`);
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/Basic/);
  });
});

describe('readiness', () => {
  it('/readyz answers 503 when the store is closed; /healthz still 200 (the process is alive)', async () => {
    const m = await startMailroom({}, { worker: false });
    try {
      expect((await fetch(`${m.api.url}/readyz`)).status).toBe(200);
      await m.api.deps.store.close();
      const r = await fetch(`${m.api.url}/readyz`);
      expect(r.status).toBe(503);
      expect(await r.json()).toEqual({
        ok: false,
        app: 'api',
        checks: { store: 'failed: The database connection is not open', redis: 'ok' },
      });
      expect((await fetch(`${m.api.url}/healthz`)).status).toBe(200);
    } finally {
      await m.stop().catch(() => undefined);
    }
  });
});
