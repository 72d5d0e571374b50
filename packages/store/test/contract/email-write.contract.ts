import type { EmailEvent, RecipientStatus } from '@mailroom/domain';
import type { StoreRef } from './contract-fixtures';
import { at, comparableContent, historyQuery, makeContent, makeEmail, uniqueTenantId } from './contract-fixtures';

export function describeEmailWriteContract(store: StoreRef): void {
  describe('emails: create and read', () => {
    it('stores the record and its content; attachment bytes come back exactly', async () => {
      const tenantId = uniqueTenantId('create');
      const email = makeEmail(tenantId, `${tenantId}-e1`, { cc: [{ email: 'cfo@example.com' }], bcc: [{ email: 'audit@example.com' }] });
      const content = makeContent();

      expect(await store().emails.create({ email, content })).toEqual({ email, created: true });
      expect(await store().emails.get(tenantId, email.id)).toEqual(email);

      const stored = await store().emails.getContent(tenantId, email.id);
      expect(comparableContent(stored)).toEqual(comparableContent(content));
      expect(stored!.attachments.map((a) => Buffer.isBuffer(a.content))).toEqual([true, true]);
    });

    it('keeps optional content absent (no html, no attachments)', async () => {
      const tenantId = uniqueTenantId('create');
      const email = makeEmail(tenantId, `${tenantId}-e1`, { hasHtml: false, attachmentCount: 0, document: undefined, metadata: undefined });
      await store().emails.create({ email, content: { text: 'plain', attachments: [] } });
      expect(await store().emails.getContent(tenantId, email.id)).toEqual({ text: 'plain', attachments: [] });
      const read = await store().emails.get(tenantId, email.id);
      expect(read).toEqual(email);
      expect(read).not.toHaveProperty('document');
    });

    it('answers null for an unknown id and for another tenant’s email', async () => {
      const tenantId = uniqueTenantId('create');
      const email = makeEmail(tenantId, `${tenantId}-e1`);
      await store().emails.create({ email, content: makeContent() });
      const other = uniqueTenantId('other');
      expect(await store().emails.get(tenantId, `${tenantId}-missing`)).toBeNull();
      expect(await store().emails.get(other, email.id)).toBeNull();
      expect(await store().emails.getContent(other, email.id)).toBeNull();
      expect(await store().emails.update(other, email.id, (e) => ({ ...e, subject: 'hijacked' }))).toBeNull();
      await store().emails.remove(other, email.id);
      expect(await store().emails.get(tenantId, email.id)).toEqual(email);
    });
  });

  describe('emails: idempotency', () => {
    it('the same key twice returns the first email with created: false and writes nothing else', async () => {
      const tenantId = uniqueTenantId('idem');
      const first = makeEmail(tenantId, `${tenantId}-a`, { idempotencyKey: 'order-77' });
      const again = makeEmail(tenantId, `${tenantId}-b`, { idempotencyKey: 'order-77', subject: 'other body' });
      await store().emails.create({ email: first, content: makeContent() });

      expect(await store().emails.create({ email: again, content: makeContent() })).toEqual({ email: first, created: false });
      expect(await store().emails.get(tenantId, again.id)).toBeNull();
      expect(await store().emails.getContent(tenantId, again.id)).toBeNull();
      expect((await store().emails.list(tenantId, historyQuery())).items.map((e) => e.id)).toEqual([first.id]);
    });

    it('10 concurrent creates with one key produce exactly one email', async () => {
      const tenantId = uniqueTenantId('idem');
      const results = await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          store().emails.create({ email: makeEmail(tenantId, `${tenantId}-${i}`, { idempotencyKey: 'burst' }), content: makeContent() }),
        ),
      );
      expect(results.filter((r) => r.created)).toHaveLength(1);
      expect(new Set(results.map((r) => r.email.id)).size).toBe(1);
      const page = await store().emails.list(tenantId, historyQuery());
      expect(page.items.map((e) => e.id)).toEqual([results[0].email.id]);
      expect(await store().emails.getContent(tenantId, results[0].email.id)).not.toBeNull();
    });

    it('different tenants may use the same key; emails without a key never collide', async () => {
      const a = uniqueTenantId('idem-a');
      const b = uniqueTenantId('idem-b');
      const ra = await store().emails.create({ email: makeEmail(a, `${a}-1`, { idempotencyKey: 'k' }), content: makeContent() });
      const rb = await store().emails.create({ email: makeEmail(b, `${b}-1`, { idempotencyKey: 'k' }), content: makeContent() });
      expect([ra.created, rb.created]).toEqual([true, true]);
      const n1 = await store().emails.create({ email: makeEmail(a, `${a}-2`), content: makeContent() });
      const n2 = await store().emails.create({ email: makeEmail(a, `${a}-3`), content: makeContent() });
      expect([n1.created, n2.created]).toEqual([true, true]);
    });
  });

  describe('emails: createMany (the batch enqueue)', () => {
    it('writes every email with its content and answers in input order', async () => {
      const tenantId = uniqueTenantId('many');
      const inputs = [1, 2, 3].map((i) => ({
        email: makeEmail(tenantId, `${tenantId}-${i}`, { idempotencyKey: `k-${i}`, subject: `Invoice ${i}` }),
        content: makeContent(),
      }));
      const results = await store().emails.createMany(inputs);
      expect(results).toEqual(inputs.map(({ email }) => ({ email, created: true })));
      for (const { email, content } of inputs) {
        expect(await store().emails.get(tenantId, email.id)).toEqual(email);
        expect(comparableContent(await store().emails.getContent(tenantId, email.id))).toEqual(comparableContent(content));
      }
      expect(await store().emails.createMany([])).toEqual([]);
    });

    it('keeps create’s idempotency per email: a taken key answers its holder, in the call or before it, and writes nothing', async () => {
      const tenantId = uniqueTenantId('many');
      const earlier = makeEmail(tenantId, `${tenantId}-earlier`, { idempotencyKey: 'old' });
      await store().emails.create({ email: earlier, content: makeContent() });
      const fresh = makeEmail(tenantId, `${tenantId}-fresh`, { idempotencyKey: 'new' });
      const replayOfEarlier = makeEmail(tenantId, `${tenantId}-replay`, { idempotencyKey: 'old', subject: 'other body' });
      const twiceInCall = makeEmail(tenantId, `${tenantId}-twice`, { idempotencyKey: 'new' });
      const noKey = makeEmail(tenantId, `${tenantId}-nokey`);

      const results = await store().emails.createMany(
        [fresh, replayOfEarlier, twiceInCall, noKey].map((email) => ({ email, content: makeContent() })),
      );
      expect(results).toEqual([
        { email: fresh, created: true },
        { email: earlier, created: false },
        { email: fresh, created: false },
        { email: noKey, created: true },
      ]);
      expect(await store().emails.get(tenantId, replayOfEarlier.id)).toBeNull();
      expect(await store().emails.get(tenantId, twiceInCall.id)).toBeNull();
      expect(await store().emails.getContent(tenantId, twiceInCall.id)).toBeNull();
      expect((await store().emails.list(tenantId, historyQuery())).items.map((e) => e.id).sort()).toEqual(
        [earlier.id, fresh.id, noKey.id].sort(),
      );
    });

    it('two concurrent calls with the same keys create each email once', async () => {
      const tenantId = uniqueTenantId('many');
      const batch = (run: string) =>
        [1, 2, 3, 4].map((i) => ({
          email: makeEmail(tenantId, `${tenantId}-${run}-${i}`, { idempotencyKey: `k-${i}` }),
          content: makeContent(),
        }));
      const [a, b] = await Promise.all([store().emails.createMany(batch('a')), store().emails.createMany(batch('b'))]);
      for (let i = 0; i < 4; i++) {
        expect([a[i].created, b[i].created].filter(Boolean)).toHaveLength(1);
        expect(a[i].email.id).toBe(b[i].email.id);
      }
      expect((await store().emails.list(tenantId, historyQuery())).items).toHaveLength(4);
    });
  });

  describe('emails: update', () => {
    const event = (i: number): EmailEvent => ({ type: 'delivered', at: at(100 + i), key: `test:event:${i}`, source: 'mailgun' });

    it('is atomic under 20 concurrent mutators: no appended event is lost', async () => {
      const tenantId = uniqueTenantId('update');
      const email = makeEmail(tenantId, `${tenantId}-e1`);
      await store().emails.create({ email, content: makeContent() });
      await Promise.all(
        Array.from({ length: 20 }, (_, i) => store().emails.update(tenantId, email.id, (e) => ({ ...e, events: [...e.events, event(i)] }))),
      );
      const stored = await store().emails.get(tenantId, email.id);
      expect(stored!.events.map((e) => e.key).sort()).toEqual(
        ['api:queued', ...Array.from({ length: 20 }, (_, i) => `test:event:${i}`)].sort(),
      );
    });

    it('returns the written record, and a mutator returning null writes nothing', async () => {
      const tenantId = uniqueTenantId('update');
      const email = makeEmail(tenantId, `${tenantId}-e1`);
      await store().emails.create({ email, content: makeContent() });
      const sent = await store().emails.update(tenantId, email.id, (e) => ({ ...e, messageId: '<m1@acme.test>', updatedAt: at(5) }));
      expect(sent).toEqual({ ...email, messageId: '<m1@acme.test>', updatedAt: at(5) });

      expect(await store().emails.update(tenantId, email.id, () => null)).toEqual(sent);
      expect(await store().emails.get(tenantId, email.id)).toEqual(sent);
      expect(await store().emails.update(tenantId, `${tenantId}-missing`, (e) => e)).toBeNull();
    });

    it('keeps the filters in step with the record (status, recipient status)', async () => {
      const tenantId = uniqueTenantId('update');
      const email = makeEmail(tenantId, `${tenantId}-e1`, { to: [{ email: 'a@example.com' }, { email: 'b@example.com' }] });
      await store().emails.create({ email, content: makeContent() });
      await store().emails.update(tenantId, email.id, (e) => ({
        ...e,
        status: 'delivered',
        recipients: e.recipients.map((r) => ({
          ...r,
          status: r.email === 'b@example.com' ? ('bounced' as const) : ('delivered' as const),
        })),
      }));
      const ids = async (status: 'queued' | 'delivered' | 'bounced') =>
        (await store().emails.list(tenantId, historyQuery({ status }))).items.map((e) => e.id);
      expect(await ids('queued')).toEqual([]);
      expect(await ids('delivered')).toEqual([email.id]);
      expect(await ids('bounced')).toEqual([email.id]);
    });
  });

  describe('emails: remove and the sweep', () => {
    it('remove deletes the record and its content, and frees its idempotency key', async () => {
      const tenantId = uniqueTenantId('remove');
      const email = makeEmail(tenantId, `${tenantId}-e1`, { idempotencyKey: 'retry-me' });
      await store().emails.create({ email, content: makeContent() });
      await store().emails.remove(tenantId, email.id);
      expect(await store().emails.get(tenantId, email.id)).toBeNull();
      expect(await store().emails.getContent(tenantId, email.id)).toBeNull();
      expect((await store().emails.list(tenantId, historyQuery())).items).toEqual([]);

      const retry = makeEmail(tenantId, `${tenantId}-e2`, { idempotencyKey: 'retry-me' });
      expect(await store().emails.create({ email: retry, content: makeContent() })).toEqual({ email: retry, created: true });
      await store().emails.remove(tenantId, `${tenantId}-never-existed`);
    });

    it('listAwaitingSend lists what waits for a send of ours by due time, oldest first, up to the limit', async () => {
      const tenantId = uniqueTenantId('due');
      // Long before any other test's emails, so the oldest-first answer starts with these.
      const old = (s: number) => new Date(Date.parse('1999-01-01T00:00:00.000Z') + s * 1000).toISOString();
      const recipient = (status: RecipientStatus, nextAttemptAt?: string) => [
        { email: 'buyer@example.com', kind: 'to' as const, status, ...(nextAttemptAt ? { nextAttemptAt } : {}), updatedAt: old(0) },
      ];
      const emails = [
        makeEmail(tenantId, `${tenantId}-queued`, { createdAt: old(0), updatedAt: old(1) }),
        makeEmail(tenantId, `${tenantId}-sending`, {
          status: 'sending',
          createdAt: old(0),
          updatedAt: old(2),
          recipients: recipient('sending'),
        }),
        // Deferred by our retry: due at its next try, not at its last change.
        makeEmail(tenantId, `${tenantId}-retry`, {
          status: 'deferred',
          createdAt: old(0),
          updatedAt: old(0),
          nextAttemptAt: old(3),
          recipients: recipient('deferred', old(3)),
        }),
        makeEmail(tenantId, `${tenantId}-later`, {
          status: 'deferred',
          createdAt: old(0),
          updatedAt: old(0),
          nextAttemptAt: old(90),
          recipients: recipient('deferred', old(90)),
        }),
        // Deferred by the provider after it accepted the message: the provider retries, not us.
        makeEmail(tenantId, `${tenantId}-provider`, {
          status: 'deferred',
          messageId: '<m@acme.test>',
          createdAt: old(0),
          updatedAt: old(0),
          recipients: recipient('deferred'),
        }),
        makeEmail(tenantId, `${tenantId}-sent`, {
          status: 'accepted',
          createdAt: old(0),
          updatedAt: old(0),
          recipients: recipient('accepted'),
        }),
        makeEmail(tenantId, `${tenantId}-fresh`, { createdAt: old(100), updatedAt: old(100) }),
      ];
      for (const email of emails) await store().emails.create({ email, content: makeContent() });

      expect(await store().emails.listAwaitingSend(old(50), 10)).toEqual([
        { tenantId, id: `${tenantId}-queued` },
        { tenantId, id: `${tenantId}-sending` },
        { tenantId, id: `${tenantId}-retry` },
      ]);
      expect(await store().emails.listAwaitingSend(old(50), 2)).toEqual([
        { tenantId, id: `${tenantId}-queued` },
        { tenantId, id: `${tenantId}-sending` },
      ]);
      // The due time follows every update.
      await store().emails.update(tenantId, `${tenantId}-queued`, (e) => ({ ...e, updatedAt: old(60) }));
      await store().emails.update(tenantId, `${tenantId}-sending`, (e) => ({
        ...e,
        status: 'accepted',
        recipients: e.recipients.map((r) => ({ ...r, status: 'accepted' as const })),
      }));
      expect((await store().emails.listAwaitingSend(old(70), 10)).map((r) => r.id)).toEqual([`${tenantId}-retry`, `${tenantId}-queued`]);
    });
  });

  describe('emails: an enqueue in progress', () => {
    const pending = (tenantId: string, id: string, owner: string) =>
      makeEmail(tenantId, id, { idempotencyKey: `key-${id}`, pendingEnqueue: { owner, since: at(0) } });

    it('commit drops the marker for its owner only, and keeps everything else', async () => {
      const tenantId = uniqueTenantId('pending');
      const email = pending(tenantId, `${tenantId}-e1`, 'req-a');
      await store().emails.create({ email, content: makeContent() });
      expect(await store().emails.get(tenantId, email.id)).toEqual(email);

      expect(await store().emails.commitPendingEnqueue(tenantId, email.id, 'req-b')).toBe(false);
      expect((await store().emails.get(tenantId, email.id))!.pendingEnqueue).toEqual({ owner: 'req-a', since: at(0) });
      expect(await store().emails.commitPendingEnqueue(tenantId, email.id, 'req-a')).toBe(true);
      const { pendingEnqueue: _gone, ...committed } = email;
      expect(await store().emails.get(tenantId, email.id)).toEqual(committed);
      expect(await store().emails.commitPendingEnqueue(tenantId, email.id, 'req-a')).toBe(false);
      // A later update of the committed record does not bring the marker back.
      await store().emails.update(tenantId, email.id, (e) => ({ ...e, subject: 'changed' }));
      expect(await store().emails.get(tenantId, email.id)).not.toHaveProperty('pendingEnqueue');
    });

    it('commit of many drops the markers of this owner’s emails of this tenant only, in one call', async () => {
      const tenantId = uniqueTenantId('pending');
      const mine = [1, 2, 3].map((i) => pending(tenantId, `${tenantId}-m${i}`, 'req-a'));
      const theirs = pending(tenantId, `${tenantId}-t`, 'req-b');
      for (const email of [...mine, theirs]) await store().emails.create({ email, content: makeContent() });
      const otherTenant = uniqueTenantId('pending');

      expect(
        await store().emails.commitPendingEnqueueMany(
          otherTenant,
          mine.map((e) => e.id),
          'req-a',
        ),
      ).toBe(0);
      expect(
        await store().emails.commitPendingEnqueueMany(tenantId, [...mine.map((e) => e.id), theirs.id, `${tenantId}-none`], 'req-a'),
      ).toBe(3);
      for (const e of mine) expect(await store().emails.get(tenantId, e.id)).not.toHaveProperty('pendingEnqueue');
      expect((await store().emails.get(tenantId, theirs.id))!.pendingEnqueue).toEqual({ owner: 'req-b', since: at(0) });
      expect(
        await store().emails.commitPendingEnqueueMany(
          tenantId,
          mine.map((e) => e.id),
          'req-a',
        ),
      ).toBe(0);
      expect(await store().emails.commitPendingEnqueueMany(tenantId, [], 'req-a')).toBe(0);
    });

    it('remove-if-pending removes only a record still pending under the same owner, with its content and key', async () => {
      const tenantId = uniqueTenantId('pending');
      const a = pending(tenantId, `${tenantId}-a`, 'req-a');
      const b = pending(tenantId, `${tenantId}-b`, 'req-b');
      await store().emails.create({ email: a, content: makeContent() });
      await store().emails.create({ email: b, content: makeContent() });

      expect(await store().emails.removePendingEnqueue(tenantId, a.id, 'someone-else')).toBe(false);
      expect(await store().emails.get(tenantId, a.id)).not.toBeNull();
      expect(await store().emails.removePendingEnqueue(tenantId, a.id, 'req-a')).toBe(true);
      expect(await store().emails.get(tenantId, a.id)).toBeNull();
      expect(await store().emails.getContent(tenantId, a.id)).toBeNull();
      const again = makeEmail(tenantId, `${tenantId}-a2`, { idempotencyKey: a.idempotencyKey });
      expect((await store().emails.create({ email: again, content: makeContent() })).created).toBe(true);

      // Taken over by a replay (a new owner), or committed by the worker: never removed.
      await store().emails.update(tenantId, b.id, (e) => ({ ...e, pendingEnqueue: { owner: 'replay', since: at(9) } }));
      expect(await store().emails.removePendingEnqueue(tenantId, b.id, 'req-b')).toBe(false);
      await store().emails.commitPendingEnqueue(tenantId, b.id, 'replay');
      expect(await store().emails.removePendingEnqueue(tenantId, b.id, 'replay')).toBe(false);
      expect(await store().emails.get(tenantId, b.id)).not.toBeNull();
      expect(await store().emails.removePendingEnqueue(tenantId, `${tenantId}-never`, 'x')).toBe(false);
    });
  });
}
