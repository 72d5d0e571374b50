import { DeliveryError, isDeliveryError } from '@mailroom/domain';
import { SettingsIncompleteError } from '@mailroom/delivery';
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
      hint: 'the email settings are incomplete: save them again with every required field',
    });
  if (e instanceof SecretUnavailableError)
    return new DeliveryError(e.message, {
      code: 'ESECRET',
      retryable: false,
      hint: 'a stored secret cannot be decrypted with the configured ENCRYPTION_KEYS: ops must restore the old key, or the tenant must save its settings again',
    });
  const err = e as Error;
  return new DeliveryError(err?.message ?? String(e), { code: 'EINTERNAL', retryable: true }, { cause: e });
}
