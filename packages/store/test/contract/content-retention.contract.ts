import type { StoreRef } from './contract-fixtures';
import { comparableContent, makeContent, makeEmail, uniqueTenantId } from './contract-fixtures';

/** Far before any other test's emails, so "oldest first" answers start with these. */
const longAgo = (s: number) => new Date(Date.parse('1998-01-01T00:00:00.000Z') + s * 1000).toISOString();

export function describeContentRetentionContract(store: StoreRef): void {
  describe('emails: content retention', () => {
    const final = (tenantId: string, id: string, finalAt?: string) =>
      makeEmail(tenantId, id, {
        status: 'accepted',
        ...(finalAt ? { finalAt } : {}),
        attachments: [
          { filename: 'F-2024-001.pdf', contentType: 'application/pdf', size: 100_512 },
          { filename: 'nota.txt', contentType: 'text/plain', size: 5 },
        ],
      });

    it('keeps attachment names and sizes and the retention fields on the record', async () => {
      const tenantId = uniqueTenantId('keep');
      const email = final(tenantId, `${tenantId}-e1`, longAgo(100_000));
      await store().emails.create({ email, content: makeContent() });
      expect(await store().emails.get(tenantId, email.id)).toEqual(email);
    });

    it('lists emails final before the cut-off and not purged yet, oldest first, across tenants, up to the limit', async () => {
      const a = uniqueTenantId('list-a');
      const b = uniqueTenantId('list-b');
      const emails = [
        final(a, `${a}-old`, longAgo(10)),
        final(b, `${b}-older`, longAgo(5)),
        final(a, `${a}-fresh`, longAgo(1000)),
        makeEmail(a, `${a}-in-flight`, { status: 'deferred' }),
      ];
      for (const email of emails) await store().emails.create({ email, content: makeContent() });

      expect(await store().emails.listContentToPurge(longAgo(100), 10)).toEqual([
        { tenantId: b, id: `${b}-older` },
        { tenantId: a, id: `${a}-old` },
      ]);
      expect(await store().emails.listContentToPurge(longAgo(100), 1)).toEqual([{ tenantId: b, id: `${b}-older` }]);
      await store().emails.purgeContent(
        [
          { tenantId: b, id: `${b}-older` },
          { tenantId: a, id: `${a}-old` },
        ],
        longAgo(100),
        longAgo(200),
      );
    });

    it('purges body and attachments, marks the record, keeps the rest of it; purging again does nothing', async () => {
      const tenantId = uniqueTenantId('purge');
      const email = final(tenantId, `${tenantId}-e1`, longAgo(20));
      const other = final(tenantId, `${tenantId}-e2`, longAgo(21));
      await store().emails.create({ email, content: makeContent() });
      const otherContent = makeContent();
      await store().emails.create({ email: other, content: otherContent });

      const ref = { tenantId, id: email.id };
      expect(await store().emails.purgeContent([ref], longAgo(100), longAgo(300))).toEqual([ref]);
      expect(await store().emails.getContent(tenantId, email.id)).toBeNull();
      expect(await store().emails.get(tenantId, email.id)).toEqual({ ...email, contentPurgedAt: longAgo(300) });
      expect(comparableContent(await store().emails.getContent(tenantId, other.id))).toEqual(comparableContent(otherContent));

      expect(await store().emails.purgeContent([ref], longAgo(100), longAgo(400))).toEqual([]);
      expect((await store().emails.get(tenantId, email.id))!.contentPurgedAt).toBe(longAgo(300));
      expect((await store().emails.listContentToPurge(longAgo(100), 1000)).map((r) => r.id)).not.toContain(email.id);
      await store().emails.purgeContent([{ tenantId, id: other.id }], longAgo(100), longAgo(300));
    });

    it('an update after the purge keeps the mark (an open arriving later)', async () => {
      const tenantId = uniqueTenantId('after');
      const email = final(tenantId, `${tenantId}-e1`, longAgo(30));
      await store().emails.create({ email, content: makeContent() });
      await store().emails.purgeContent([{ tenantId, id: email.id }], longAgo(100), longAgo(300));
      const updated = await store().emails.update(tenantId, email.id, (e) => ({ ...e, status: 'opened', opens: { ...e.opens, count: 1 } }));
      expect(updated).toMatchObject({ status: 'opened', contentPurgedAt: longAgo(300) });
      expect(await store().emails.listContentToPurge(longAgo(100), 1000)).not.toContainEqual({ tenantId, id: email.id });
    });

    it('does not purge an email re-queued since it was listed, nor one final after the cut-off, nor another tenant’s by a wrong ref', async () => {
      const tenantId = uniqueTenantId('requeued');
      const email = final(tenantId, `${tenantId}-e1`, longAgo(40));
      const late = final(tenantId, `${tenantId}-late`, longAgo(5000));
      await store().emails.create({ email, content: makeContent() });
      await store().emails.create({ email: late, content: makeContent() });
      // A retry re-queues it: the domain takes finalAt away (content-retention.ts).
      await store().emails.update(tenantId, email.id, (e) => {
        const { finalAt: _cleared, ...rest } = e;
        return { ...rest, status: 'queued' };
      });

      const refs = [
        { tenantId, id: email.id },
        { tenantId, id: late.id },
        { tenantId: uniqueTenantId('stranger'), id: email.id },
      ];
      expect(await store().emails.purgeContent(refs, longAgo(100), longAgo(300))).toEqual([]);
      expect(await store().emails.getContent(tenantId, email.id)).not.toBeNull();
      expect(await store().emails.getContent(tenantId, late.id)).not.toBeNull();
      expect((await store().emails.listContentToPurge(longAgo(100), 1000)).map((r) => r.id)).not.toContain(email.id);
    });

    it('two sweeps at once purge each email exactly once', async () => {
      const tenantId = uniqueTenantId('race');
      const emails = Array.from({ length: 8 }, (_, i) => final(tenantId, `${tenantId}-${i}`, longAgo(50 + i)));
      for (const email of emails) await store().emails.create({ email, content: makeContent() });
      const refs = emails.map((e) => ({ tenantId, id: e.id }));

      const [first, second] = await Promise.all([
        store().emails.purgeContent(refs, longAgo(100), longAgo(300)),
        store().emails.purgeContent([...refs].reverse(), longAgo(100), longAgo(301)),
      ]);
      expect([...first, ...second].map((r) => r.id).sort()).toEqual(refs.map((r) => r.id).sort());
      for (const e of emails) expect(await store().emails.getContent(tenantId, e.id)).toBeNull();
    });
  });
}
