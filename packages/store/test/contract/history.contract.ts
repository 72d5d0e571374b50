import type { HistoryQuery } from '@mailroom/domain';
import { InvalidCursorError } from '../../src/history-cursor';
import type { StoreRef } from './contract-fixtures';
import { at, createAll, historyQuery, makeEmail, uniqueTenantId } from './contract-fixtures';

export function describeHistoryContract(store: StoreRef): void {
  const ids = async (tenantId: string, over: Partial<HistoryQuery> = {}) =>
    (await store().emails.list(tenantId, historyQuery(over))).items.map((e) => e.id);

  describe('history: filters', () => {
    const tenantId = uniqueTenantId('filters');
    const e = (n: string) => `${tenantId}-${n}`;

    beforeAll(async () => {
      const delivered = (email: string) => ({ email, kind: 'to' as const, status: 'delivered' as const, updatedAt: at(9) });
      await createAll(store(), [
        makeEmail(tenantId, e('inv1'), {
          createdAt: at(1),
          document: { type: 'invoice', id: 'inv-1' },
          to: [{ email: 'ana@example.com' }],
        }),
        makeEmail(tenantId, e('inv2'), {
          createdAt: at(2),
          document: { type: 'invoice', id: 'inv-2' },
          to: [{ email: 'ana@example.com' }],
          cc: [{ email: 'cfo@example.com' }],
          status: 'delivered',
          recipients: [delivered('ana@example.com'), { email: 'cfo@example.com', kind: 'cc', status: 'bounced', updatedAt: at(9) }],
        }),
        makeEmail(tenantId, e('quote1'), {
          createdAt: at(3),
          document: { type: 'quote', id: 'q-1' },
          to: [{ email: 'bob@example.com' }],
          bcc: [{ email: 'archive@example.com' }],
          status: 'opened',
          opens: { count: 1, firstAt: at(8), lastAt: at(8), machineCount: 0 },
          recipients: [delivered('bob@example.com'), { email: 'archive@example.com', kind: 'bcc', status: 'delivered', updatedAt: at(9) }],
        }),
        makeEmail(tenantId, e('test'), { createdAt: at(4), document: undefined, to: [{ email: 'billing@acme.test' }], test: true }),
      ]);
    });

    it('documentId and documentType', async () => {
      expect(await ids(tenantId, { documentId: 'inv-2' })).toEqual([e('inv2')]);
      expect(await ids(tenantId, { documentType: 'invoice' })).toEqual([e('inv2'), e('inv1')]);
      expect(await ids(tenantId, { documentType: 'quote', documentId: 'inv-1' })).toEqual([]);
    });

    it('status matches the email’s status or any recipient’s', async () => {
      expect(await ids(tenantId, { status: 'queued' })).toEqual([e('test'), e('inv1')]);
      expect(await ids(tenantId, { status: 'bounced' })).toEqual([e('inv2')]);
      expect(await ids(tenantId, { status: 'opened' })).toEqual([e('quote1')]);
      expect(await ids(tenantId, { status: 'delivered' })).toEqual([e('quote1'), e('inv2')]);
      expect(await ids(tenantId, { status: 'complained' })).toEqual([]);
    });

    it('recipient matches any of to, cc and bcc, whatever its case', async () => {
      expect(await ids(tenantId, { recipient: 'ana@example.com' })).toEqual([e('inv2'), e('inv1')]);
      expect(await ids(tenantId, { recipient: 'cfo@example.com' })).toEqual([e('inv2')]);
      expect(await ids(tenantId, { recipient: 'ARCHIVE@example.com' })).toEqual([e('quote1')]);
      expect(await ids(tenantId, { recipient: 'nobody@example.com' })).toEqual([]);
    });

    it('since is inclusive, until exclusive, any ISO offset', async () => {
      expect(await ids(tenantId, { since: at(2), until: at(4) })).toEqual([e('quote1'), e('inv2')]);
      const plusTwoHours = (iso: string) => iso.replace('T10:', 'T12:').replace('.000Z', '+02:00');
      expect(await ids(tenantId, { since: plusTwoHours(at(3)) })).toEqual([e('test'), e('quote1')]);
    });

    it('test, and filters combined', async () => {
      expect(await ids(tenantId, { test: true })).toEqual([e('test')]);
      expect(await ids(tenantId, { test: false })).toEqual([e('quote1'), e('inv2'), e('inv1')]);
      expect(await ids(tenantId, { test: false, recipient: 'ana@example.com', status: 'bounced' })).toEqual([e('inv2')]);
    });
  });

  describe('history: filters combined, whichever value is rarer', () => {
    // 40 emails to a common address (every one also BCC to the archive), one in eight bounced, and
    // two to a rare address: each combination is asked so that either side may be the rarer one.
    const tenantId = uniqueTenantId('combined');
    const id = (i: number) => `${tenantId}-${String(i).padStart(2, '0')}`;
    const bounced = (i: number) => i % 8 === 3;
    const rare = (i: number) => i === 5 || i === 30;

    beforeAll(async () => {
      await createAll(
        store(),
        Array.from({ length: 40 }, (_, i) => {
          const to = rare(i) ? 'rare@example.com' : 'common@example.com';
          const status = bounced(i) ? 'bounced' : 'delivered';
          return makeEmail(tenantId, id(i), {
            createdAt: at(i),
            document: { type: i % 2 ? 'invoice' : 'quote', id: `doc-${i}` },
            to: [{ email: to }],
            bcc: [{ email: 'archive@example.com' }],
            status,
            recipients: [
              { email: to, kind: 'to', status, updatedAt: at(100) },
              { email: 'archive@example.com', kind: 'bcc', status: 'delivered', updatedAt: at(100) },
            ],
          });
        }),
      );
    });

    const newestFirst = (keep: (i: number) => boolean) =>
      Array.from({ length: 40 }, (_, i) => 39 - i)
        .filter(keep)
        .map(id);

    /** Every page of `over` by `limit`, following nextCursor. */
    const allPages = async (over: Partial<HistoryQuery>, limit: number) => {
      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().emails.list(tenantId, historyQuery({ ...over, limit, cursor }));
        seen.push(...page.items.map((e) => e.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      return seen;
    };

    it('recipient and status, paged, the common side and the rare side', async () => {
      expect(await allPages({ recipient: 'archive@example.com', status: 'bounced' }, 2)).toEqual(newestFirst(bounced));
      expect(await allPages({ recipient: 'rare@example.com', status: 'delivered' }, 1)).toEqual(newestFirst(rare));
      expect(await allPages({ recipient: 'common@example.com', status: 'bounced' }, 3)).toEqual(newestFirst((i) => bounced(i) && !rare(i)));
    });

    it('status and documentType, within a time range, paged', async () => {
      const inRange = (i: number) => i >= 10 && i < 35;
      expect(await allPages({ status: 'bounced', documentType: 'invoice', since: at(10), until: at(35) }, 1)).toEqual(
        newestFirst((i) => bounced(i) && i % 2 === 1 && inRange(i)),
      );
      expect(await allPages({ status: 'delivered', documentType: 'quote', since: at(10), until: at(35) }, 4)).toEqual(
        newestFirst((i) => !bounced(i) && i % 2 === 0 && inRange(i)),
      );
    });

    it('recipient with a document, and values that match nothing', async () => {
      expect(await allPages({ recipient: 'archive@example.com', documentId: 'doc-7' }, 5)).toEqual([id(7)]);
      expect(await allPages({ recipient: 'rare@example.com', documentId: 'doc-7' }, 5)).toEqual([]);
      expect(await allPages({ recipient: 'archive@example.com', status: 'complained' }, 5)).toEqual([]);
      expect(await allPages({ recipient: 'nobody@example.com', status: 'delivered' }, 5)).toEqual([]);
    });

    it('an update moves the email between the status filters, and keeps its recipients findable', async () => {
      const moved = `${tenantId}-moved`;
      await createAll(store(), [makeEmail(tenantId, moved, { createdAt: at(50), to: [{ email: 'Moved@Example.com' }] })]);
      expect((await store().emails.list(tenantId, historyQuery({ status: 'queued' }))).items.map((e) => e.id)).toEqual([moved]);
      await store().emails.update(tenantId, moved, (e) => ({
        ...e,
        status: 'delivered',
        recipients: e.recipients.map((r) => ({ ...r, status: 'delivered' as const })),
      }));
      expect((await store().emails.list(tenantId, historyQuery({ status: 'queued' }))).items).toEqual([]);
      expect((await store().emails.list(tenantId, historyQuery({ status: 'delivered', limit: 1 }))).items.map((e) => e.id)).toEqual([
        moved,
      ]);
      expect((await store().emails.list(tenantId, historyQuery({ recipient: 'moved@example.com' }))).items.map((e) => e.id)).toEqual([
        moved,
      ]);
    });
  });

  describe('history: order and pages', () => {
    it('is newest first, ties broken by id (descending), also across pages', async () => {
      const tenantId = uniqueTenantId('order');
      const tied = ['c', 'a', 'e', 'b', 'd'].map((n) => makeEmail(tenantId, `${tenantId}-${n}`, { createdAt: at(5) }));
      await createAll(store(), [
        makeEmail(tenantId, `${tenantId}-z-old`, { createdAt: at(1) }),
        ...tied,
        makeEmail(tenantId, `${tenantId}-0-new`, { createdAt: at(9) }),
      ]);
      const expected = ['0-new', 'e', 'd', 'c', 'b', 'a', 'z-old'].map((n) => `${tenantId}-${n}`);
      expect(await ids(tenantId)).toEqual(expected);

      const seen: string[] = [];
      let cursor: string | undefined;
      do {
        const page = await store().emails.list(tenantId, historyQuery({ limit: 2, cursor }));
        seen.push(...page.items.map((i) => i.id));
        cursor = page.nextCursor ?? undefined;
      } while (cursor);
      expect(seen).toEqual(expected);
    });

    it('pages through 25 emails by 10, each exactly once, while newer emails arrive', async () => {
      const tenantId = uniqueTenantId('pages');
      const id = (i: number) => `${tenantId}-${String(i).padStart(2, '0')}`;
      await createAll(
        store(),
        Array.from({ length: 25 }, (_, i) => makeEmail(tenantId, id(i), { createdAt: at(i) })),
      );

      const first = await store().emails.list(tenantId, historyQuery({ limit: 10 }));
      expect(first.items.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => id(24 - i)));
      expect(first.nextCursor).toEqual(expect.any(String));

      // Newer emails arrive between pages: they belong before page one, so later pages neither show nor repeat anything.
      await createAll(store(), [
        makeEmail(tenantId, `${tenantId}-late-1`, { createdAt: at(100) }),
        makeEmail(tenantId, `${tenantId}-late-2`, { createdAt: at(101) }),
      ]);

      const second = await store().emails.list(tenantId, historyQuery({ limit: 10, cursor: first.nextCursor! }));
      const third = await store().emails.list(tenantId, historyQuery({ limit: 10, cursor: second.nextCursor! }));
      expect(second.items.map((e) => e.id)).toEqual(Array.from({ length: 10 }, (_, i) => id(14 - i)));
      expect(third.items.map((e) => e.id)).toEqual(Array.from({ length: 5 }, (_, i) => id(4 - i)));
      expect(third.nextCursor).toBeNull();

      const all = [...first.items, ...second.items, ...third.items].map((e) => e.id);
      expect(new Set(all).size).toBe(25);
      expect(all.sort()).toEqual(Array.from({ length: 25 }, (_, i) => id(i)).sort());
    });

    it('answers nextCursor null when the last page is exactly full', async () => {
      const tenantId = uniqueTenantId('full');
      await createAll(
        store(),
        Array.from({ length: 4 }, (_, i) => makeEmail(tenantId, `${tenantId}-${i}`, { createdAt: at(i) })),
      );
      const page = await store().emails.list(tenantId, historyQuery({ limit: 4 }));
      expect(page.items).toHaveLength(4);
      expect(page.nextCursor).toBeNull();
    });

    it.each([
      'not a cursor',
      'bm90LWpzb24',
      Buffer.from('["yesterday","x"]').toString('base64url'),
      Buffer.from('{"a":1}').toString('base64url'),
    ])('rejects the bad cursor %p with InvalidCursorError', async (cursor) => {
      await expect(store().emails.list(uniqueTenantId('cursor'), historyQuery({ cursor }))).rejects.toBeInstanceOf(InvalidCursorError);
    });
  });

  describe('history: tenant isolation', () => {
    it('a tenant never sees another tenant’s emails, by list or get', async () => {
      const a = uniqueTenantId('iso-a');
      const b = uniqueTenantId('iso-b');
      await createAll(store(), [
        makeEmail(a, `${a}-1`, { createdAt: at(1), document: { type: 'invoice', id: 'shared-doc' } }),
        makeEmail(b, `${b}-1`, { createdAt: at(2), document: { type: 'invoice', id: 'shared-doc' } }),
      ]);
      expect(await ids(a)).toEqual([`${a}-1`]);
      expect(await ids(a, { documentId: 'shared-doc' })).toEqual([`${a}-1`]);
      expect(await ids(a, { recipient: 'buyer@example.com' })).toEqual([`${a}-1`]);
      expect(await ids(a, { status: 'queued' })).toEqual([`${a}-1`]);
      expect(await store().emails.get(a, `${b}-1`)).toBeNull();

      const pageB = await store().emails.list(b, historyQuery({ limit: 1 }));
      expect(pageB.nextCursor).toBeNull();
      expect(pageB.items.map((e) => e.id)).toEqual([`${b}-1`]);
    });
  });
}
