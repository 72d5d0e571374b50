import { WEBHOOK_KEY_FIELD, WebhookState } from '@mailroom/domain';
import type { OpenedWebhook, RegisteredWebhook } from './provider-module';
import type { TenantSecrets } from './tenant-secrets';

/** A tenant's webhook state with its verification key opened (in memory only), as modules verify and register with. */
export function openWebhook(state: WebhookState | undefined, secrets: TenantSecrets): OpenedWebhook {
  return {
    ...(state?.verificationKey ? { key: secrets.open(WEBHOOK_KEY_FIELD, state.verificationKey) } : {}),
    ...(state?.basicUser ? { basicUser: state.basicUser } : {}),
    ...(state?.providerWebhookId ? { providerWebhookId: state.providerWebhookId } : {}),
  };
}

/** The webhook state after a registration (or a key pasted by hand): registered, its key sealed. */
export function registeredWebhookState(
  previous: WebhookState | undefined,
  url: string,
  registered: RegisteredWebhook,
  secrets: TenantSecrets,
): WebhookState {
  return {
    ...previous,
    url,
    registered: true,
    error: undefined,
    verificationKey: secrets.seal(WEBHOOK_KEY_FIELD, registered.verificationKey),
    ...(registered.basicUser ? { basicUser: registered.basicUser } : {}),
    ...(registered.providerWebhookId ? { providerWebhookId: registered.providerWebhookId } : {}),
  };
}
