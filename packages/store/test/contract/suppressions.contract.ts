import { newSuppression, Suppression, SuppressionReason } from '@mailroom/domain';
import { InvalidCursorError } from '../../src/history-cursor';
import type { SuppressionListQuery } from '../../src/store.port';
import type { StoreRef } from './contract-fixtures';
import { at, uniqueTenantId } from './contract-fixtures';

const DAYS = 30;
const entry = (tenantId: string, address: string, reason: SuppressionReason, seconds: number, over: Partial<Suppression> = {}) => ({
  ...newSuppression({ tenantId, address, reason, sourceEmailId: `em-${seconds}`, detail: `${reason} at ${seconds}` }, at(seconds), DAYS),
  ...over,
});
const DAY = 86_400;

export function describeSuppressionsContract(store: StoreRef): void {
  const list = (tenantId: string, query: Partial<SuppressionListQuery> = {}, now = at(100)) =>
    store().suppressions.list(tenantId, { limit: 50, ...query }, now);
  const addresses = async (tenantId: string, query: Partial<SuppressionListQuery> = {}, now = at(100)) =>
    (await list(tenantId, query, now)).items.map((s) => s.address);

  describe('suppressions: add, get, remove', () => {
    it('adds an entry with every field, lower-casing the address, and reads it back', async () => {
      const tenantId = uniqueTenantId('supp');
      const bounce = entry(tenantId, 'Client@Example.COM', 'hard_bounce', 10);
      const { suppression, created } = await store().suppressions.add(bounce, at(10));
      expect(created).toBe(true);
      expect(suppression).toEqual({ ...bounce, address: 'client@example.com' });
      expect(suppression.expiresAt).toBe(new Date(Date.parse(at(10)) + DAYS * DAY * 1000).toISOString());
      expect(await store().suppressions.get(tenantId, 'CLIENT@example.com', at(11))).toEqual(suppression);
      const manual = newSuppression({ tenantId, address: 'x@example.com', reason: 'manual' }, at(12), DAYS);
      expect((await store().suppressions.add(manual, at(12))).suppression).toEqual(manual);
      expect(await store().suppressions.get(tenantId, 'x@example.com', at(13))).toEqual(manual);
      expect(await store().suppressions.get(tenantId, 'nobody@example.com', at(13))).toBeNull();
    });

    it('adding the same address again is idempotent; a permanent entry is never replaced by an expiring one', async () => {
      const tenantId = uniqueTenantId('supp');
      const complaint = entry(tenantId, 'a@example.com', 'complaint', 10);
      expect((await store().suppressions.add(complaint, at(10))).created).toBe(true);
      const again = await store().suppressions.add(entry(tenantId, 'a@example.com', 'complaint', 20), at(20));
      expect(again).toEqual({ suppression: complaint, created: false });
      const bounce = await store().suppressions.add(entry(tenantId, 'A@example.com', 'hard_bounce', 30), at(30));
      expect(bounce).toEqual({ suppression: complaint, created: false });
      expect(await store().suppressions.get(tenantId, 'a@example.com', at(31))).toEqual(complaint);
    });

    it('a new bounce restarts an expiring entry; a complaint makes it permanent', async () => {
      const tenantId = uniqueTenantId('supp');
      await store().suppressions.add(entry(tenantId, 'a@example.com', 'hard_bounce', 10), at(10));
      const later = entry(tenantId, 'a@example.com', 'smtp_rejected', 50);
      expect(await store().suppressions.add(later, at(50))).toEqual({ suppression: later, created: false });
      const complaint = entry(tenantId, 'a@example.com', 'complaint', 60);
      expect((await store().suppressions.add(complaint, at(60))).suppression).toEqual(complaint);
      expect(await store().suppressions.get(tenantId, 'a@example.com', at(61 + 400 * DAY))).toEqual(complaint);
    });

    it('concurrent adds of one address keep one entry', async () => {
      const tenantId = uniqueTenantId('supp');
      const results = await Promise.all(
        Array.from({ length: 8 }, (_, i) => store().suppressions.add(entry(tenantId, 'race@example.com', 'hard_bounce', 10 + i), at(20))),
      );
      expect(results.filter((r) => r.created).length).toBeGreaterThanOrEqual(1);
      expect((await list(tenantId, {}, at(30))).items).toHaveLength(1);
    });

    it('an expired entry is absent to every read, can be added again as new, and remove says false for it', async () => {
      const tenantId = uniqueTenantId('supp');
      const bounce = entry(tenantId, 'a@example.com', 'hard_bounce', 0);
      await store().suppressions.add(bounce, at(0));
      const afterExpiry = at(DAYS * DAY);
      expect(await store().suppressions.get(tenantId, 'a@example.com', at(DAYS * DAY - 1))).toEqual(bounce);
      expect(await store().suppressions.get(tenantId, 'a@example.com', afterExpiry)).toBeNull();
      expect(await store().suppressions.findActive(tenantId, ['a@example.com'], afterExpiry)).toEqual([]);
      expect(await addresses(tenantId, {}, afterExpiry)).toEqual([]);
      const fresh = entry(tenantId, 'a@example.com', 'hard_bounce', DAYS * DAY + 5);
      expect(await store().suppressions.add(fresh, at(DAYS * DAY + 5))).toEqual({ suppression: fresh, created: true });

      const other = entry(tenantId, 'b@example.com', 'hard_bounce', 0);
      await store().suppressions.add(other, at(0));
      expect(await store().suppressions.remove(tenantId, 'b@example.com', afterExpiry)).toBe(false);
      expect(await store().suppressions.get(tenantId, 'b@example.com', at(1))).toBeNull();
    });

    it('remove answers true once, then false', async () => {
      const tenantId = uniqueTenantId('supp');
      await store().suppressions.add(entry(tenantId, 'a@example.com', 'manual', 1), at(1));
      expect(await store().suppressions.remove(tenantId, 'A@Example.com', at(2))).toBe(true);
      expect(await store().suppressions.remove(tenantId, 'a@example.com', at(3))).toBe(false);
      expect(await store().suppressions.get(tenantId, 'a@example.com', at(4))).toBeNull();
    });

    it('removeExpired deletes expired entries only, across tenants, up to the limit', async () => {
      const t1 = uniqueTenantId('supp');
      const t2 = uniqueTenantId('supp');
      // Far in the past: expired for every other test's clock too, so only these (and earlier runs') are at stake.
      const old = (tenantId: string, address: string) => ({
        ...entry(tenantId, address, 'hard_bounce', 0),
        createdAt: '2000-01-01T00:00:00.000Z',
        expiresAt: '2000-01-31T00:00:00.000Z',
      });
      await store().suppressions.add(old(t1, 'a@example.com'), '2000-01-01T00:00:00.000Z');
      await store().suppressions.add(old(t2, 'b@example.com'), '2000-01-01T00:00:00.000Z');
      await store().suppressions.add(entry(t1, 'keep@example.com', 'complaint', 0), at(0));
      await store().suppressions.add(entry(t1, 'young@example.com', 'hard_bounce', 0), at(0));
      const now = '2000-06-01T00:00:00.000Z';
      let removed = 0;
      for (let n = await store().suppressions.removeExpired(now, 1); n > 0; n = await store().suppressions.removeExpired(now, 1)) {
        expect(n).toBe(1);
        removed += n;
      }
      expect(removed).toBeGreaterThanOrEqual(2);
      expect(await addresses(t1, {}, at(1))).toEqual(['young@example.com', 'keep@example.com']);
      expect(await store().suppressions.remove(t1, 'a@example.com', at(1))).toBe(false);
      expect(await store().suppressions.remove(t2, 'b@example.com', at(1))).toBe(false);
    });
  });

  describe('suppressions: the batch check and tenants kept apart', () => {
    it('findActive answers the active entries among the addresses asked, in any case', async () => {
      const tenantId = uniqueTenantId('supp');
      await store().suppressions.add(entry(tenantId, 'a@example.com', 'hard_bounce', 1), at(1));
      await store().suppressions.add(entry(tenantId, 'b@example.com', 'complaint', 2), at(2));
      await store().suppressions.add(entry(tenantId, 'c@example.com', 'manual', 3), at(3));
      const found = await store().suppressions.findActive(
        tenantId,
        ['B@EXAMPLE.com', 'a@example.com', 'z@example.com', 'a@example.com'],
        at(10),
      );
      expect(found.map((s) => s.address).sort()).toEqual(['a@example.com', 'b@example.com']);
      expect(await store().suppressions.findActive(tenantId, [], at(10))).toEqual([]);
      const many = Array.from({ length: 150 }, (_, i) => `n${i}@example.com`).concat('c@example.com');
      expect((await store().suppressions.findActive(tenantId, many, at(10))).map((s) => s.reason)).toEqual(['manual']);
    });

    it("one tenant's suppressions never affect another's", async () => {
      const acme = uniqueTenantId('acme');
      const globex = uniqueTenantId('globex');
      await store().suppressions.add(entry(acme, 'shared@example.com', 'complaint', 1), at(1));
      expect(await store().suppressions.findActive(globex, ['shared@example.com'], at(2))).toEqual([]);
      expect(await store().suppressions.get(globex, 'shared@example.com', at(2))).toBeNull();
      expect(await addresses(globex)).toEqual([]);
      expect(await store().suppressions.remove(globex, 'shared@example.com', at(3))).toBe(false);
      expect(await store().suppressions.get(acme, 'shared@example.com', at(4))).not.toBeNull();

      const mine = entry(globex, 'shared@example.com', 'hard_bounce', 5);
      expect(await store().suppressions.add(mine, at(5))).toEqual({ suppression: mine, created: true });
      expect((await store().suppressions.get(acme, 'shared@example.com', at(6)))!.reason).toBe('complaint');
      expect(await store().suppressions.remove(acme, 'shared@example.com', at(7))).toBe(true);
      expect((await store().suppressions.get(globex, 'shared@example.com', at(8)))!.reason).toBe('hard_bounce');
    });
  });

  describe('suppressions: the list', () => {
    const tenantId = uniqueTenantId('supp-list');
    beforeAll(async () => {
      const rows: [string, SuppressionReason, number][] = [
        ['ana@example.com', 'hard_bounce', 1],
        ['ana.lopez@example.com', 'complaint', 2],
        ['bob@example.com', 'manual', 3],
        ['anabel@other.example', 'smtp_rejected', 4],
        ['carl@example.com', 'hard_bounce', 4],
        ['dora@example.com', 'complaint', 5],
      ];
      for (const [address, reason, s] of rows) await store().suppressions.add(entry(tenantId, address, reason, s), at(s));
    });

    it('newest first, ties by address descending', async () => {
      expect(await addresses(tenantId)).toEqual([
        'dora@example.com',
        'carl@example.com',
        'anabel@other.example',
        'bob@example.com',
        'ana.lopez@example.com',
        'ana@example.com',
      ]);
    });

    it('filters by exact address, address prefix and reason', async () => {
      expect(await addresses(tenantId, { address: 'ANA@example.com' })).toEqual(['ana@example.com']);
      expect(await addresses(tenantId, { addressPrefix: 'Ana' })).toEqual([
        'anabel@other.example',
        'ana.lopez@example.com',
        'ana@example.com',
      ]);
      expect(await addresses(tenantId, { addressPrefix: 'ana@' })).toEqual(['ana@example.com']);
      expect(await addresses(tenantId, { reason: 'hard_bounce' })).toEqual(['carl@example.com', 'ana@example.com']);
      expect(await addresses(tenantId, { reason: 'complaint', addressPrefix: 'ana' })).toEqual(['ana.lopez@example.com']);
      expect(await addresses(tenantId, { addressPrefix: 'zed' })).toEqual([]);
    });

    it('pages with a keyset cursor that neither skips nor repeats, also with a filter', async () => {
      const seen: string[] = [];
      let cursor: string | undefined;
      let pages = 0;
      do {
        const page = await list(tenantId, { limit: 2, cursor });
        seen.push(...page.items.map((s) => s.address));
        cursor = page.nextCursor ?? undefined;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(await addresses(tenantId));

      const first = await list(tenantId, { limit: 1, reason: 'hard_bounce' });
      expect(first.items.map((s) => s.address)).toEqual(['carl@example.com']);
      const second = await list(tenantId, { limit: 1, reason: 'hard_bounce', cursor: first.nextCursor! });
      expect(second).toEqual({ items: [expect.objectContaining({ address: 'ana@example.com' })], nextCursor: null });
    });

    it('a cursor the store did not issue is refused', async () => {
      await expect(list(tenantId, { cursor: 'not-a-cursor!' })).rejects.toBeInstanceOf(InvalidCursorError);
      await expect(list(tenantId, { cursor: Buffer.from('["x"]').toString('base64url') })).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });
}
