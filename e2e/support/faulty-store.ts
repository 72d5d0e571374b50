import type { Store, TenantStore } from '@mailroom/store';

export type StoreFault = 'hang' | 'throw' | null;

/**
 * A real store whose tenant reads can be made to fail on demand: `hang` plays a database that no
 * longer answers (a MongoDB primary gone, a network partition), `throw` one that refuses. Everything
 * else goes to the real store untouched.
 */
export function faultyStore(inner: Store): { store: Store; fault(mode: StoreFault): void } {
  let mode: StoreFault = null;
  const tenants: TenantStore = {
    upsert: (tenant, now) => inner.tenants.upsert(tenant, now),
    get: (id) => {
      if (mode === 'hang') return new Promise(() => undefined);
      if (mode === 'throw') return Promise.reject(new Error('the store refused the connection'));
      return inner.tenants.get(id);
    },
  };
  const store: Store = {
    kind: inner.kind,
    tenants,
    settings: inner.settings,
    emails: inner.emails,
    suppressions: inner.suppressions,
    init: () => inner.init(),
    close: () => inner.close(),
  };
  return {
    store,
    fault: (m) => {
      mode = m;
    },
  };
}
