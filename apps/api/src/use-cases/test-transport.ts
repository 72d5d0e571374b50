import type { EmailSettings } from '@mailroom/domain';
import { SecretUnavailableError } from '@mailroom/security';
import { SECRET_UNAVAILABLE_HINT, SETTINGS_INCOMPLETE_HINT, SettingsIncompleteError, TenantSecrets, Transport } from '@mailroom/transports';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';

/**
 * The transport the test email goes through: exactly the one the worker would build (the tenant's
 * module, its secrets opened in memory, a connected mailbox's tokens), but never shared or pooled.
 * Settings the transport cannot be built from are the tenant's or the operator's to fix: a 409 that
 * says what to do (the worker's ESECRET and ECONFIG hints), never a 500.
 */
export function testTransport(deps: ApiDeps, settings: EmailSettings): Transport {
  try {
    return deps.providers.createTransport(settings, new TenantSecrets(deps.box, settings.tenantId), {
      tenantId: settings.tenantId,
      config: deps.config,
      logger: deps.logger,
      smtpHosts: deps.smtpHosts,
      accessTokens: () => deps.mailboxTokens.forTenant(settings.tenantId),
    });
  } catch (e) {
    if (e instanceof SecretUnavailableError) throw new HttpError(409, 'secret_unavailable', `nothing was sent: ${SECRET_UNAVAILABLE_HINT}`);
    if (e instanceof SettingsIncompleteError)
      throw new HttpError(409, 'settings_incomplete', `nothing was sent (${e.message}): ${SETTINGS_INCOMPLETE_HINT}`);
    throw e;
  }
}
