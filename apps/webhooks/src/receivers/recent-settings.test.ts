import type { EmailSettings } from '@mailroom/domain';
import type { Store } from '@mailroom/store';
import { RecentSettings } from './recent-settings';

const settingsOf = (tenantId: string, version: number) => ({ tenantId, version, mode: 'provider' }) as unknown as EmailSettings;

/** A settings store that counts its reads and answers what `saved` holds now. */
function countingStore() {
  const saved = new Map<string, EmailSettings>();
  const reads: string[] = [];
  const store = {
    settings: {
      get: async (tenantId: string) => {
        reads.push(tenantId);
        return saved.get(tenantId) ?? null;
      },
    },
  } as unknown as Pick<Store, 'settings'>;
  return { saved, reads, store };
}

describe('a tenant’s recent settings, for its webhook posts', () => {
  it('one read serves the posts of the next second; past it, the store is read again', async () => {
    const { saved, reads, store } = countingStore();
    let clock = 0;
    const recent = new RecentSettings(store, () => clock, 1000);
    saved.set('t1', settingsOf('t1', 1));
    expect(await recent.get('t1')).toEqual({ settings: settingsOf('t1', 1), justRead: true });
    saved.set('t1', settingsOf('t1', 2));
    clock = 999;
    expect(await recent.get('t1')).toEqual({ settings: settingsOf('t1', 1), justRead: false });
    expect(reads).toEqual(['t1']);
    clock = 1000;
    expect(await recent.get('t1')).toEqual({ settings: settingsOf('t1', 2), justRead: true });
    expect(reads).toEqual(['t1', 't1']);
  });

  it('reread reads at once and is kept; what the app wrote itself is kept as written', async () => {
    const { saved, reads, store } = countingStore();
    let clock = 0;
    const recent = new RecentSettings(store, () => clock, 1000);
    saved.set('t1', settingsOf('t1', 1));
    await recent.get('t1');
    saved.set('t1', settingsOf('t1', 2));
    expect(await recent.reread('t1')).toEqual(settingsOf('t1', 2));
    clock = 500;
    expect((await recent.get('t1')).settings).toEqual(settingsOf('t1', 2));
    recent.remember('t1', settingsOf('t1', 3));
    clock = 1400;
    expect(await recent.get('t1')).toEqual({ settings: settingsOf('t1', 3), justRead: false });
    expect(reads).toEqual(['t1', 't1']);
  });

  it('a tenant without settings is read on every post, never kept', async () => {
    const { saved, reads, store } = countingStore();
    const recent = new RecentSettings(store, () => 0, 1000);
    expect(await recent.get('nobody')).toEqual({ settings: null, justRead: true });
    saved.set('nobody', settingsOf('nobody', 1));
    expect(await recent.get('nobody')).toEqual({ settings: settingsOf('nobody', 1), justRead: true });
    recent.remember('nobody', null);
    expect((await recent.get('nobody')).justRead).toBe(true);
    expect(reads).toHaveLength(3);
  });

  it('keeps the 1,000 tenants read most recently', async () => {
    const { saved, reads, store } = countingStore();
    const recent = new RecentSettings(store, () => 0, 1000);
    for (let i = 0; i <= 1000; i++) saved.set(`t${i}`, settingsOf(`t${i}`, 1));
    for (let i = 0; i <= 1000; i++) await recent.get(`t${i}`);
    expect(reads).toHaveLength(1001);
    expect((await recent.get('t1000')).justRead).toBe(false);
    expect((await recent.get('t1')).justRead).toBe(false);
    expect((await recent.get('t0')).justRead).toBe(true);
  });
});
