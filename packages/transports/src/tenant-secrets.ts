import { secretContext } from '@mailroom/domain';
import type { SecretBox } from '@mailroom/security';

/**
 * One tenant's sealed settings fields, sealed and opened with the one secret context (the domain's
 * `secretContext`: tenant and field). What a transport module is handed instead of the box itself.
 */
export class TenantSecrets {
  constructor(
    private readonly box: SecretBox,
    readonly tenantId: string,
  ) {}

  seal(field: string, plaintext: string): string {
    return this.box.seal(plaintext, secretContext(this.tenantId, field));
  }

  /** The secret; a missing one is a SettingsIncompleteError, one no key opens a SecretUnavailableError. */
  open(field: string, sealed: string | undefined): string {
    if (!sealed) throw new SettingsIncompleteError(`${field} is not set`);
    return this.box.open(sealed, secretContext(this.tenantId, field));
  }
}

/** What to do about a sealed secret no configured key opens: the worker's ESECRET hint and the test email's 409 say the same. */
export const SECRET_UNAVAILABLE_HINT =
  'a stored secret cannot be decrypted with the configured ENCRYPTION_KEYS: ops must restore the old key, or the tenant must save its settings again';

/** What to do about settings a transport cannot be built from. */
export const SETTINGS_INCOMPLETE_HINT = 'the email settings are incomplete: save them again with every required field';

/** Stored settings that lack what their transport needs (a secret never saved): saving them again fixes it. */
export class SettingsIncompleteError extends Error {
  override readonly name = 'SettingsIncompleteError';
}

/**
 * A settings field a module refuses, relative to its part (`publicApiKey`): the API answers 400 with
 * `code` (`invalid_request` unless the module says more, like `smtp_host_not_allowed`) naming the field.
 */
export class SettingsFieldError extends Error {
  override readonly name = 'SettingsFieldError';
  constructor(
    readonly field: string,
    readonly reason: string,
    readonly code: string = 'invalid_request',
  ) {
    super(`${field}: ${reason}`);
  }

  /** The same refusal, its field under `part` (`provider.publicApiKey`). */
  within(part: string): SettingsFieldError {
    return new SettingsFieldError(`${part}.${this.field}`, this.reason, this.code);
  }
}
