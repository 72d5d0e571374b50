import type { WebhookState } from '@mailroom/domain';
import type { SecretBox } from '@mailroom/security';
import { OpenedWebhook, openWebhook, TenantSecrets } from '@mailroom/transports';

/** Tenants whose opened webhook key is kept; the least recently used goes first. */
const MAX_TENANTS = 1000;

/**
 * Each tenant's webhook verification key, opened once per sealed value: AES-GCM opening it on every post
 * cost a few per cent of a single-event post (decision 0041). Keyed by the sealed text itself, so a key saved
 * again (a new sealed value, even the same key re-sealed) is opened afresh on its first post: nothing is
 * verified with a key other than the one in the settings it is handed (which may be up to a second old,
 * recent-settings.ts, decision 0066). In memory only, like the transport cache's.
 */
export class OpenedWebhooks {
  private readonly byTenant = new Map<string, { state: WebhookState | undefined; opened: OpenedWebhook }>();

  constructor(private readonly box: SecretBox) {}

  of(tenantId: string, state: WebhookState | undefined): OpenedWebhook {
    const hit = this.byTenant.get(tenantId);
    if (hit && sameWebhookKey(hit.state, state)) {
      this.byTenant.delete(tenantId);
      this.byTenant.set(tenantId, hit);
      return hit.opened;
    }
    const opened = openWebhook(state, new TenantSecrets(this.box, tenantId));
    this.byTenant.delete(tenantId);
    this.byTenant.set(tenantId, { state, opened });
    if (this.byTenant.size > MAX_TENANTS) this.byTenant.delete(this.byTenant.keys().next().value!);
    return opened;
  }
}

/** Whether two webhook states verify alike: the same key, the same Basic user, the same registration. */
export const sameWebhookKey = (a: WebhookState | undefined, b: WebhookState | undefined) =>
  a?.verificationKey === b?.verificationKey && a?.basicUser === b?.basicUser && a?.providerWebhookId === b?.providerWebhookId;
