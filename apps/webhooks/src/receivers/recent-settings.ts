import type { EmailSettings } from '@mailroom/domain';
import type { Store } from '@mailroom/store';

/** How long settings read for one post serve the next posts of the same tenant (decision 0066). */
export const RECENT_SETTINGS_MS = 1000;
/** Tenants whose settings are kept; the least recently read goes first. */
const MAX_TENANTS = 1000;

/** Settings for a post, and whether they were read from the store for it (not kept from an earlier post). */
export interface SettingsForPost {
  settings: EmailSettings | null;
  justRead: boolean;
}

/**
 * Each tenant's settings as the store held them at most RECENT_SETTINGS_MS ago. A provider posting
 * one event per request had the webhooks app read the same settings row for every event:
 * a tenth of such a post's CPU, as the other processes' commits make SQLite read its pages again
 * (decision 0066). The receiver reads afresh (`reread`) before refusing a post on settings it was
 * handed from here, so a key or a configuration saved a moment ago is used at once; what can outlive
 * a save by up to RECENT_SETTINGS_MS is a key the settings no longer hold. In memory only.
 */
export class RecentSettings {
  private readonly byTenant = new Map<string, { settings: EmailSettings; readAt: number }>();

  constructor(
    private readonly store: Pick<Store, 'settings'>,
    private readonly clockMs: () => number = () => performance.now(),
    private readonly keepMs = RECENT_SETTINGS_MS,
  ) {}

  async get(tenantId: string): Promise<SettingsForPost> {
    const hit = this.byTenant.get(tenantId);
    if (hit && this.clockMs() - hit.readAt < this.keepMs) return { settings: hit.settings, justRead: false };
    return { settings: await this.reread(tenantId), justRead: true };
  }

  /** The store's settings now, kept for the next posts (a tenant without settings is not kept). */
  async reread(tenantId: string): Promise<EmailSettings | null> {
    const readAt = this.clockMs();
    const settings = await this.store.settings.get(tenantId);
    this.remember(tenantId, settings, readAt);
    return settings;
  }

  /** Settings this app just wrote (what the store answered the write with). */
  remember(tenantId: string, settings: EmailSettings | null, readAt = this.clockMs()): void {
    this.byTenant.delete(tenantId);
    if (!settings) return;
    this.byTenant.set(tenantId, { settings, readAt });
    if (this.byTenant.size > MAX_TENANTS) this.byTenant.delete(this.byTenant.keys().next().value!);
  }
}
