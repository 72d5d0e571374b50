import type { Config } from '@mailroom/config';
import { OutboundAddressPolicy } from '@mailroom/security';
import { HostResolver, SmtpHostGuard, systemHostResolver } from '@mailroom/transports';

/**
 * The SSRF guard of tenants' own SMTP servers as the apps build it, once: the operator's allowlist
 * (SMTP_PRIVATE_HOSTS_ALLOWED) and the system resolver, or one a test injects.
 */
export function buildSmtpHostGuard(
  config: Pick<Config, 'smtpPrivateHostsAllowed'>,
  resolve: HostResolver = systemHostResolver,
): SmtpHostGuard {
  return new SmtpHostGuard(new OutboundAddressPolicy(config.smtpPrivateHostsAllowed), resolve);
}
