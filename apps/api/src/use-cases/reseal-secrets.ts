import { EmailSettings, secretContext } from '@mailroom/domain';
import type { SecretBox } from '@mailroom/security';
import type { Store } from '@mailroom/store';
import type { ProviderRegistry } from '@mailroom/transports';

export interface ResealReport {
  tenants: number;
  /** Secrets re-sealed with the first key. */
  changed: number;
  /** Secrets already sealed with the first key (and opening with it). */
  current: number;
  /** Secrets no configured key opens: left as they are. Names only, never values. */
  unreadable: { tenantId: string; field: string; keyId: string }[];
}

/** One tenant's settings with every secret on the first key, and what that took. Pure but for the random IVs. */
export function resealSettings(
  s: EmailSettings,
  box: SecretBox,
  registry: ProviderRegistry,
): { settings: EmailSettings; changed: number; current: number; unreadable: ResealReport['unreadable'] } {
  let settings = s;
  let changed = 0;
  let current = 0;
  const unreadable: ResealReport['unreadable'] = [];
  // Every secret the settings' module seals (and a provider webhook's key), under its field's own context.
  for (const f of registry.sealedFields(s)) {
    const sealed = f.get(settings);
    if (!sealed) continue;
    const context = secretContext(s.tenantId, f.field);
    let plain: string;
    try {
      plain = box.open(sealed, context);
    } catch {
      unreadable.push({ tenantId: s.tenantId, field: f.field, keyId: sealed.split(':')[0] });
      continue;
    }
    if (!box.needsRotation(sealed)) {
      current += 1;
      continue;
    }
    settings = f.set(settings, box.seal(plain, context));
    changed += 1;
  }
  return { settings, changed, current, unreadable };
}

const PAGE = 200;

/**
 * `pnpm reseal`: every stored secret re-sealed with the first key of ENCRYPTION_KEYS, so older keys
 * can be removed. Each tenant is one atomic read-modify-write of the store (settings.update), so it
 * is safe while the apps run: a save meanwhile either comes first (and seals with the first key
 * itself) or after (and replaces the whole document). The settings version is not bumped: the
 * secrets mean the same, and workers keep their transports. Idempotent.
 */
export async function resealSecrets(store: Store, box: SecretBox, registry: ProviderRegistry): Promise<ResealReport> {
  const report: ResealReport = { tenants: 0, changed: 0, current: 0, unreadable: [] };
  let after: string | undefined;
  for (let ids = await store.settings.listTenantIds(after, PAGE); ids.length > 0; ids = await store.settings.listTenantIds(after, PAGE)) {
    for (const tenantId of ids) {
      // The store may run the mutator more than once (optimistic concurrency): the last run is what was written.
      let outcome: ReturnType<typeof resealSettings> | undefined;
      await store.settings.update(tenantId, (s) => {
        outcome = resealSettings(s, box, registry);
        return outcome.changed > 0 ? outcome.settings : null;
      });
      if (!outcome) continue;
      report.tenants += 1;
      report.changed += outcome.changed;
      report.current += outcome.current;
      report.unreadable.push(...outcome.unreadable);
    }
    after = ids[ids.length - 1];
  }
  return report;
}
