import type { StoreRef } from './contract-fixtures';
import { at, makeSettings, uniqueTenantId } from './contract-fixtures';

export function describeTenantAndSettingsContract(store: StoreRef): void {
  describe('tenants', () => {
    it('upsert inserts, then updates name and plan while keeping createdAt', async () => {
      const id = uniqueTenantId('tenant');
      const first = await store().tenants.upsert({ id, name: 'Acme', plan: 'basic' }, at(0));
      expect(first).toEqual({ id, name: 'Acme', plan: 'basic', createdAt: at(0), updatedAt: at(0) });

      const second = await store().tenants.upsert({ id, name: 'Acme SL', plan: 'premium' }, at(60));
      expect(second).toEqual({ id, name: 'Acme SL', plan: 'premium', createdAt: at(0), updatedAt: at(60) });
      expect(await store().tenants.get(id)).toEqual(second);
    });

    it('keeps the contact email when an upsert leaves it out, and removes it on null', async () => {
      const id = uniqueTenantId('tenant');
      const created = await store().tenants.upsert({ id, name: 'Acme', plan: 'basic', email: 'hello@acme.test' }, at(0));
      expect(created).toEqual({ id, name: 'Acme', plan: 'basic', email: 'hello@acme.test', createdAt: at(0), updatedAt: at(0) });
      expect(await store().tenants.upsert({ id, name: 'Acme SL', plan: 'basic' }, at(1))).toMatchObject({ email: 'hello@acme.test' });
      expect(await store().tenants.upsert({ id, name: 'Acme SL', plan: 'basic', email: 'billing@acme.test' }, at(2))).toMatchObject({
        email: 'billing@acme.test',
      });
      const removed = await store().tenants.upsert({ id, name: 'Acme SL', plan: 'basic', email: null }, at(3));
      expect(removed).not.toHaveProperty('email');
      expect(await store().tenants.get(id)).toEqual(removed);
    });

    it('get answers null for an unknown tenant', async () => {
      expect(await store().tenants.get(uniqueTenantId('nobody'))).toBeNull();
    });
  });

  describe('settings', () => {
    it('put stores version 1, then 2, replacing the whole document', async () => {
      const tenantId = uniqueTenantId('settings');
      expect(await store().settings.get(tenantId)).toBeNull();

      const v1 = await store().settings.put(makeSettings(tenantId));
      expect(v1).toEqual({ ...makeSettings(tenantId), version: 1 });
      expect(await store().settings.get(tenantId)).toEqual(v1);

      const providerMode = makeSettings(tenantId, {
        mode: 'provider',
        smtp: undefined,
        provider: { name: 'mailgun', fromAddress: 'billing@acme.test', region: 'eu', privateApiKey: 'k1:a:b:c', privateKeyHint: 'x9z1' },
        updatedAt: at(10),
      });
      const v2 = await store().settings.put(providerMode);
      expect(v2.version).toBe(2);
      const stored = await store().settings.get(tenantId);
      expect(stored).toEqual({ ...providerMode, version: 2 });
      expect(stored).not.toHaveProperty('smtp');
      expect((await store().settings.put(makeSettings(tenantId))).version).toBe(3);
    });

    it('update changes the document without bumping the version', async () => {
      const tenantId = uniqueTenantId('settings');
      await store().settings.put(makeSettings(tenantId));
      await store().settings.put(makeSettings(tenantId));
      const updated = await store().settings.update(tenantId, (s) => ({ ...s, senderName: 'Acme Billing', version: 99 }));
      expect(updated).toMatchObject({ senderName: 'Acme Billing', version: 2 });
      expect(await store().settings.get(tenantId)).toEqual(updated);
    });

    it('update is atomic per tenant under concurrent mutators', async () => {
      const tenantId = uniqueTenantId('settings');
      await store().settings.put(makeSettings(tenantId, { cc: [] }));
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store().settings.update(tenantId, (s) => ({ ...s, cc: [...s.cc, { email: `cc${i}@acme.test` }] })),
        ),
      );
      const stored = await store().settings.get(tenantId);
      expect(stored!.cc.map((a) => a.email).sort()).toEqual(Array.from({ length: 10 }, (_, i) => `cc${i}@acme.test`).sort());
      expect(stored!.version).toBe(1);
    });

    it('keeps the sending limits with the settings: stored, replaced by a put without them, kept by an update', async () => {
      const tenantId = uniqueTenantId('settings');
      const limited = makeSettings(tenantId, { limits: { perMinute: 5, perDay: 400 } });
      expect(await store().settings.put(limited)).toEqual({ ...limited, version: 1 });
      expect((await store().settings.get(tenantId))!.limits).toEqual({ perMinute: 5, perDay: 400 });
      const updated = await store().settings.update(tenantId, (s) => ({ ...s, senderName: 'Acme Billing' }));
      expect(updated!.limits).toEqual({ perMinute: 5, perDay: 400 });
      expect((await store().settings.get(tenantId))!.limits).toEqual({ perMinute: 5, perDay: 400 });
      const lowered = await store().settings.update(tenantId, (s) => ({ ...s, limits: { perHour: 20 } }));
      expect((await store().settings.get(tenantId))!.limits).toEqual(lowered!.limits);
      expect(lowered!.limits).toEqual({ perHour: 20 });
      await store().settings.put(makeSettings(tenantId));
      expect(await store().settings.get(tenantId)).not.toHaveProperty('limits');
    });

    it('update answers null for a tenant without settings, and a null mutator writes nothing', async () => {
      const tenantId = uniqueTenantId('settings');
      expect(await store().settings.update(tenantId, (s) => s)).toBeNull();
      expect(await store().settings.get(tenantId)).toBeNull();

      const saved = await store().settings.put(makeSettings(tenantId));
      expect(await store().settings.update(tenantId, () => null)).toEqual(saved);
      expect(await store().settings.get(tenantId)).toEqual(saved);
    });

    it('listTenantIds pages through every tenant with settings, in id order, without repeats', async () => {
      const prefix = uniqueTenantId('list');
      const ids = ['c', 'a', 'e', 'b', 'd'].map((x) => `${prefix}-${x}`);
      for (const id of ids) await store().settings.put(makeSettings(id));
      const seen: string[] = [];
      let after: string | undefined = `${prefix}-`;
      for (;;) {
        const page: string[] = (await store().settings.listTenantIds(after, 2)).filter((id) => id.startsWith(prefix));
        if (page.length === 0) break;
        seen.push(...page);
        after = page[page.length - 1];
      }
      expect(seen).toEqual([...ids].sort());
      const all: string[] = [];
      for (
        let page = await store().settings.listTenantIds(undefined, 1000);
        page.length > 0;
        page = await store().settings.listTenantIds(page[page.length - 1], 1000)
      )
        all.push(...page);
      expect(all).toEqual(expect.arrayContaining(ids));
      expect(new Set(all).size).toBe(all.length);
    });
  });
}
