import { EmailSettingsInput, resolveSmtpEndpoint } from '@mailroom/domain';
import { SmtpHostNotAllowedError, SmtpHostUnresolvableError } from '@mailroom/transports';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';

/**
 * The SSRF guard at the door: a tenant's SMTP host (on save, and in a draft sent to the test route)
 * must resolve, and only to addresses tenants may reach. Nothing is stored and nothing is contacted
 * when it does not. The answer names the field but not the addresses: which internal name resolves
 * to what is the operator's business, and it is in the log for them.
 */
export async function vetSmtpHost(deps: ApiDeps, tenantId: string, smtp: NonNullable<EmailSettingsInput['smtp']>): Promise<void> {
  const { host } = resolveSmtpEndpoint(smtp);
  try {
    await deps.smtpHosts.vet(host, deps.config.timeouts.smtpConnectionMs);
  } catch (e) {
    if (e instanceof SmtpHostNotAllowedError) {
      deps.logger.warn({ tenantId, host, refused: e.refused.map((v) => `${v.address} (${v.kind})`) }, 'smtp host refused');
      const message = `${host} resolves to a loopback, private or otherwise non-public address, which tenants' SMTP settings may not use: give your mail server's public host name, or ask the platform operator to allow its address`;
      throw new HttpError(400, 'smtp_host_not_allowed', `smtp.host: ${message}`, [{ field: 'smtp.host', message }]);
    }
    if (e instanceof SmtpHostUnresolvableError) {
      const message = `${e.message}: check the host name`;
      throw new HttpError(400, 'smtp_host_unresolvable', `smtp.host: ${message}`, [{ field: 'smtp.host', message }]);
    }
    throw e;
  }
}
