import { DeliveryError, hintOf, isDeliveryError } from '@mailroom/domain';
import { SECRET_UNAVAILABLE_HINT, SETTINGS_INCOMPLETE_HINT, SettingsIncompleteError } from '@mailroom/transports';
import { SecretUnavailableError } from '@mailroom/security';

/**
 * Anything a send can throw, as a DeliveryError. Transports already throw DeliveryErrors; what is left
 * is our own configuration (permanent: retrying will not fix it) or a bug (retryable: it might be
 * transient, and the attempts are bounded).
 */
export function toDeliveryError(e: unknown): DeliveryError {
  if (isDeliveryError(e)) return e;
  if (e instanceof SettingsIncompleteError)
    return new DeliveryError(e.message, {
      code: 'ECONFIG',
      retryable: false,
      ...hintOf('send.settingsIncomplete', SETTINGS_INCOMPLETE_HINT),
    });
  if (e instanceof SecretUnavailableError)
    return new DeliveryError(e.message, {
      code: 'ESECRET',
      retryable: false,
      ...hintOf('send.secretUnavailable', SECRET_UNAVAILABLE_HINT),
    });
  const err = e as Error;
  return new DeliveryError(err?.message ?? String(e), { code: 'EINTERNAL', retryable: true }, { cause: e });
}
