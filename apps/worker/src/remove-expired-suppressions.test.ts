import pino from 'pino';
import { newSuppression } from '@mailroom/domain';
import { SqliteStore } from '@mailroom/store';
import { removeExpiredSuppressions } from './remove-expired-suppressions';

const T0 = Date.parse('2026-02-01T10:00:00.000Z');
const day = 24 * 3600 * 1000;

/** The worker's expiry sweep against a real SQLite store: bounces go after their days, complaints and manual entries stay. */
describe('removing expired suppressions', () => {
  it('deletes every expired entry, of every tenant, in batches; leaves the rest', async () => {
    const store = new SqliteStore({ filename: ':memory:' });
    await store.init();
    const created = new Date(T0).toISOString();
    for (let i = 0; i < 7; i++)
      await store.suppressions.add(
        newSuppression({ tenantId: i % 2 ? 'a' : 'b', address: `bounced${i}@x.example`, reason: 'hard_bounce' }, created, 10),
        created,
      );
    await store.suppressions.add(
      newSuppression({ tenantId: 'a', address: 'late@x.example', reason: 'smtp_rejected' }, new Date(T0 + 5 * day).toISOString(), 10),
      created,
    );
    await store.suppressions.add(newSuppression({ tenantId: 'a', address: 'spam@x.example', reason: 'complaint' }, created, 10), created);
    await store.suppressions.add(newSuppression({ tenantId: 'b', address: 'hand@x.example', reason: 'manual' }, created, 10), created);

    const deps = { store, logger: pino({ level: 'silent' }), now: () => new Date(T0 + 11 * day) };
    expect(await removeExpiredSuppressions(deps, 3)).toBe(7);
    expect(await removeExpiredSuppressions(deps, 3)).toBe(0);
    // What is left is still there once the clock has moved on: a later bounce's own days, and the ones that never expire.
    const far = new Date(T0 + 365 * day).toISOString();
    const left = [
      ...(await store.suppressions.list('a', { limit: 50 }, new Date(T0 + 11 * day).toISOString())).items,
      ...(await store.suppressions.list('b', { limit: 50 }, far)).items,
    ].map((s) => s.address);
    expect(left.sort()).toEqual(['hand@x.example', 'late@x.example', 'spam@x.example']);
    await store.close();
  });
});
