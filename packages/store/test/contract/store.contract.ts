import type { Store } from '../../src/store.port';
import { describeTenantAndSettingsContract } from './tenant-settings.contract';
import { describeEmailWriteContract } from './email-write.contract';
import { describeHistoryContract } from './history.contract';
import { describeContentRetentionContract } from './content-retention.contract';
import { describeSuppressionsContract } from './suppressions.contract';
import { describeAttemptInFlightContract } from './attempt-in-flight.contract';

/**
 * The one behaviour every Store adapter must show. An adapter's test file calls this with a factory
 * for a fresh, empty store; each test works in its own tenant, so tests do not see each other.
 */
export function describeStoreContract(name: string, makeStore: () => Promise<Store>): void {
  describe(`Store contract: ${name}`, () => {
    let store: Store | undefined;
    const current = (): Store => {
      if (!store) throw new Error('the store was not created (see beforeAll)');
      return store;
    };

    beforeAll(async () => {
      store = await makeStore();
      await store.init();
    });

    afterAll(async () => {
      await store?.close();
    });

    it('init is idempotent', async () => {
      await current().init();
      expect(await current().tenants.get('no-such-tenant')).toBeNull();
    });

    describeTenantAndSettingsContract(current);
    describeEmailWriteContract(current);
    describeHistoryContract(current);
    describeContentRetentionContract(current);
    describeSuppressionsContract(current);
    describeAttemptInFlightContract(current);
  });
}
