import { API_KEY, Mailroom, OPS_TOKEN, startMailroom } from './support/mailroom-harness';

/** The suppression list through the API, as the platform and a tenant's admin screen call it. */
describe('suppression list API', () => {
  let m: Mailroom;
  const base = (tenant: string) => `/v1/tenants/${tenant}/suppressions`;

  beforeAll(async () => {
    m = await startMailroom({ SUPPRESSION_BOUNCE_DAYS: '10' }, { worker: false });
    for (const t of ['acme-supp', 'globex-supp'])
      expect((await m.call('PUT', `/v1/tenants/${t}`, { name: t, plan: 'basic' })).status).toBe(201);
  });
  afterAll(async () => {
    await m.stop();
  });

  it('adds a manual entry (201, lower-cased, never expiring), and again is idempotent (200, the same entry)', async () => {
    const first = await m.call('POST', base('acme-supp'), { address: 'Client@Example.COM', note: 'closed the mailbox' });
    expect(first.status).toBe(201);
    expect(first.headers.get('location')).toBe('/v1/tenants/acme-supp/suppressions/client%40example.com');
    expect(first.body).toEqual({
      tenantId: 'acme-supp',
      address: 'client@example.com',
      reason: 'manual',
      detail: 'closed the mailbox',
      createdAt: expect.any(String),
    });
    const again = await m.call('POST', base('acme-supp'), { address: 'client@example.com', reason: 'manual' });
    expect(again.status).toBe(200);
    expect(again.body).toEqual(first.body);
  });

  it('lists with filters by address, prefix and reason, and pages with a cursor', async () => {
    for (const address of ['ana@example.com', 'ana.b@example.com', 'bob@example.com']) {
      expect((await m.call('POST', base('acme-supp'), { address })).status).toBe(201);
    }
    const all = await m.call('GET', base('acme-supp'));
    expect(all.status).toBe(200);
    expect(all.body.items.map((s: { address: string }) => s.address)).toEqual(
      expect.arrayContaining(['client@example.com', 'ana@example.com', 'ana.b@example.com', 'bob@example.com']),
    );
    expect(all.body.nextCursor).toBeNull();
    const prefix = await m.call('GET', `${base('acme-supp')}?addressPrefix=ANA`);
    expect(prefix.body.items.map((s: { address: string }) => s.address).sort()).toEqual(['ana.b@example.com', 'ana@example.com']);
    const exact = await m.call('GET', `${base('acme-supp')}?address=${encodeURIComponent('Bob@example.com')}&reason=manual`);
    expect(exact.body.items.map((s: { address: string }) => s.address)).toEqual(['bob@example.com']);
    expect((await m.call('GET', `${base('acme-supp')}?reason=hard_bounce`)).body).toEqual({ items: [], nextCursor: null });

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: { status: number; body: { items: { address: string }[]; nextCursor: string | null } } = await m.call(
        'GET',
        `${base('acme-supp')}?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(page.status).toBe(200);
      seen.push(...page.body.items.map((s) => s.address));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual(all.body.items.map((s: { address: string }) => s.address));
  });

  it('removes an entry (204), then 404 for it', async () => {
    await m.call('POST', base('acme-supp'), { address: 'gone@example.com' });
    const del = await m.call('DELETE', `${base('acme-supp')}/${encodeURIComponent('GONE@example.com')}`);
    expect(del.status).toBe(204);
    const again = await m.call('DELETE', `${base('acme-supp')}/gone@example.com`);
    expect(again.status).toBe(404);
    expect(again.body.error).toMatchObject({ code: 'suppression_not_found', message: expect.stringContaining('gone@example.com') });
    expect((await m.call('GET', `${base('acme-supp')}?address=gone@example.com`)).body.items).toEqual([]);
  });

  it('refuses bad input with a 400 that names the field', async () => {
    const cases: [string, string, unknown, string][] = [
      ['POST', base('acme-supp'), { address: 'not-an-address' }, 'address'],
      ['POST', base('acme-supp'), {}, 'address'],
      ['POST', base('acme-supp'), { address: 'a@example.com', reason: 'hard_bounce' }, 'reason'],
      ['POST', base('acme-supp'), { address: 'a@example.com', note: 'x'.repeat(501) }, 'note'],
      ['POST', base('acme-supp'), { address: 'a@example.com', extra: true }, 'body'],
      ['POST', base('acme-supp'), ['a@example.com'], 'body'],
      ['GET', `${base('acme-supp')}?reason=soft`, undefined, 'reason'],
      ['GET', `${base('acme-supp')}?limit=1000`, undefined, 'limit'],
      ['GET', `${base('acme-supp')}?address=a@example.com&addressPrefix=a`, undefined, 'addressPrefix'],
      ['DELETE', `${base('acme-supp')}/not-an-address`, undefined, 'address'],
    ];
    for (const [method, url, body, field] of cases) {
      const r = await m.call(method, url, body);
      expect([method, url, r.status]).toEqual([method, url, 400]);
      expect(r.body.error.code).toBe('invalid_request');
      expect(r.body.error.details.map((d: { field: string }) => d.field)).toContain(field);
    }
    const badCursor = await m.call('GET', `${base('acme-supp')}?cursor=bm90LWEtY3Vyc29y`);
    expect(badCursor.status).toBe(400);
    expect(badCursor.body.error.code).toBe('invalid_cursor');
    const malformed = await m.call('POST', base('acme-supp'), '{"address":', { headers: { 'content-type': 'application/json' } });
    expect(malformed.status).toBe(400);
  });

  it('tenant tokens reach their own list only; one tenant never sees or changes another', async () => {
    const token = (await m.call('POST', '/v1/tenants/globex-supp/tokens')).body.token as string;
    expect((await m.call('POST', base('globex-supp'), { address: 'client@example.com' }, { token })).status).toBe(201);
    const own = await m.call('GET', base('globex-supp'), undefined, { token });
    expect(own.body.items.map((s: { address: string; tenantId: string }) => [s.address, s.tenantId])).toEqual([
      ['client@example.com', 'globex-supp'],
    ]);
    for (const [method, url, body] of [
      ['GET', base('acme-supp'), undefined],
      ['POST', base('acme-supp'), { address: 'x@example.com' }],
      ['DELETE', `${base('acme-supp')}/client@example.com`, undefined],
    ] as const) {
      const r = await m.call(method, url, body, { token });
      expect([method, r.status, r.body.error.code]).toEqual([method, 403, 'forbidden']);
    }
    // Removing globex's entry leaves acme's entry for the same address in place.
    expect((await m.call('DELETE', `${base('globex-supp')}/client@example.com`, undefined, { token })).status).toBe(204);
    expect((await m.call('GET', `${base('acme-supp')}?address=client@example.com`)).body.items).toHaveLength(1);
    expect((await m.call('GET', base('acme-supp'), undefined, { token: OPS_TOKEN })).status).toBe(403);
    expect((await m.call('GET', base('acme-supp'), undefined, { token: '' })).status).toBe(401);
    expect((await m.call('GET', base('nobody-supp'), undefined, { token: API_KEY })).status).toBe(404);
  });
});
