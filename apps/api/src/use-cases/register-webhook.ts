import { EmailSettings, ProviderSettingsInput, SettingsWarning, WebhookState } from '@mailroom/domain';
import { SecretUnavailableError } from '@mailroom/security';
import { failedWebhookState, openWebhook, OpenedWebhook, registeredWebhookState, TenantSecrets } from '@mailroom/transports';
import type { ApiDeps } from '../api-deps';

export function webhookUrl(deps: ApiDeps, s: EmailSettings): string {
  return `${deps.config.publicBaseUrl}/webhooks/${s.provider!.name}/${encodeURIComponent(s.tenantId)}`;
}

/**
 * After a provider-mode save: register the tenant's webhook with its own provider account, through
 * its own API key (the provider's module knows how), and keep the verification key (sealed). A
 * failure never undoes the save: the answer says what failed, and the admin can paste the key by
 * hand (`webhookVerificationKey`).
 */
export async function registerProviderWebhook(deps: ApiDeps, tenantId: string, input?: ProviderSettingsInput): Promise<SettingsWarning[]> {
  const s = await deps.store.settings.get(tenantId);
  const module = s?.mode === 'provider' && s.provider ? deps.providers.webhookModule(s.provider.name) : undefined;
  if (!s?.provider || !module) return [];
  const url = webhookUrl(deps, s);
  const secrets = new TenantSecrets(deps.box, tenantId);
  const previous = s.provider.webhook;
  let state: WebhookState;

  if (input?.webhookVerificationKey) {
    state = registeredWebhookState(previous, url, { verificationKey: input.webhookVerificationKey }, secrets);
  } else {
    try {
      const spec = module.spec(s.provider, secrets);
      const registered = await module.webhooks.register(spec, s.provider, {
        tenantId,
        url,
        previous: previousWebhook(previous, secrets),
        config: deps.config,
      });
      state = registeredWebhookState(previous, url, registered, secrets);
    } catch (e) {
      state = failedWebhookState(previous, url, e);
      deps.logger.warn({ tenantId, provider: s.provider.name, err: state.error }, 'webhook registration failed');
    }
  }
  await deps.store.settings.update(tenantId, (cur) =>
    cur.mode === 'provider' && cur.provider ? { ...cur, provider: { ...cur.provider, webhook: state } } : null,
  );
  return [];
}

/** What the last registration left; a key no configured key opens any more is as good as none (a new one is made). */
function previousWebhook(state: WebhookState | undefined, secrets: TenantSecrets): OpenedWebhook {
  try {
    return openWebhook(state, secrets);
  } catch (e) {
    if (!(e instanceof SecretUnavailableError)) throw e;
    return openWebhook({ ...state!, verificationKey: undefined }, secrets);
  }
}
