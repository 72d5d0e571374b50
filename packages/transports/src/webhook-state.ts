import { hintOf, isDeliveryError, RecordedHint, WEBHOOK_KEY_FIELD, WebhookState } from '@mailroom/domain';
import { SecretUnavailableError } from '@mailroom/security';
import type { OpenedWebhook, RegisteredWebhook } from './provider-module';
import { SECRET_UNAVAILABLE_HINT, SETTINGS_INCOMPLETE_HINT, SettingsIncompleteError, TenantSecrets } from './tenant-secrets';

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
    hintKey: undefined,
    hintParams: undefined,
    hintThen: undefined,
    verificationKey: secrets.seal(WEBHOOK_KEY_FIELD, registered.verificationKey),
    ...(registered.basicUser ? { basicUser: registered.basicUser } : {}),
    ...(registered.providerWebhookId ? { providerWebhookId: registered.providerWebhookId } : {}),
  };
}

/**
 * The webhook state after a registration failed: not registered, and why, in English (`error`: the
 * error's words and its advice) and by the advice's key, for a screen in another language.
 */
export function failedWebhookState(previous: WebhookState | undefined, url: string, e: unknown): WebhookState {
  const { hint, hintKey, hintParams, hintThen } = registrationFailureHint(e);
  const words = (e as Error | undefined)?.message ?? String(e);
  return { ...previous, url, registered: false, error: [words, hint].filter(Boolean).join(': '), hintKey, hintParams, hintThen };
}

/** A provider module's error carries its advice; our own (a secret, a bug) gets the advice here. */
function registrationFailureHint(e: unknown): RecordedHint {
  if (isDeliveryError(e)) return { hint: e.hint, hintKey: e.hintKey, hintParams: e.hintParams, hintThen: e.hintThen };
  if (e instanceof SettingsIncompleteError) return hintOf('send.settingsIncomplete', SETTINGS_INCOMPLETE_HINT);
  if (e instanceof SecretUnavailableError) return hintOf('send.secretUnavailable', SECRET_UNAVAILABLE_HINT);
  return hintOf(
    'webhook.unexpected',
    'the registration failed unexpectedly (the server log says why): save the settings again, or paste the verification key by hand',
  );
}
