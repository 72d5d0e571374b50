import type { VetContext } from '../provider-module';
import { SettingsFieldError } from '../tenant-secrets';
import { SmtpHostNotAllowedError, SmtpHostUnresolvableError } from './smtp-host-guard';

/**
 * The SSRF guard at the door: a tenant's SMTP host (on save, in a draft sent to the test route, and
 * before an OAuth connection) must resolve, and only to addresses tenants may reach. Nothing is stored
 * and nothing is contacted when it does not. The answer names the field but not the addresses: which
 * internal name resolves to what is the operator's business, and it is in the log for them.
 */
export async function vetSmtpHost(host: string, context: VetContext): Promise<void> {
  try {
    await context.smtpHosts.vet(host, context.config.timeouts.smtpConnectionMs);
  } catch (e) {
    if (e instanceof SmtpHostNotAllowedError) {
      context.logger.warn(
        { tenantId: context.tenantId, host, refused: e.refused.map((v) => `${v.address} (${v.kind})`) },
        'smtp host refused',
      );
      throw new SettingsFieldError(
        'host',
        `${host} resolves to a loopback, private or otherwise non-public address, which tenants' SMTP settings may not use: give your mail server's public host name, or ask the platform operator to allow its address`,
        'smtp_host_not_allowed',
      );
    }
    if (e instanceof SmtpHostUnresolvableError)
      throw new SettingsFieldError('host', `${e.message}: check the host name`, 'smtp_host_unresolvable');
    throw e;
  }
}
