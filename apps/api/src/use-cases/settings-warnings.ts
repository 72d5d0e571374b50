import type { EffectiveSettings, EmailSettings, Tenant } from '@mailroom/domain';
import { domainOf } from '@mailroom/domain';

/** A warning in the settings answer: a stable `code` for programs, a `message` for people. */
export interface SettingsWarning {
  code: SettingsWarningCode;
  message: string;
}

export type SettingsWarningCode =
  | 'from_differs_from_username'
  | 'port_tls_mismatch'
  | 'mailgun_domain_mismatch'
  | 'webhook_not_registered'
  | 'last_send_failed'
  | 'gmail_app_password'
  | 'plan_fallback'
  | 'reply_to_missing';

const warning = (code: SettingsWarningCode, message: string): SettingsWarning => ({ code, message });

/**
 * The seed's advice as behaviour: things that will not stop a save but will bite a tenant later.
 * Each warning says what happens and what to do.
 */
export function settingsWarnings(s: EmailSettings): SettingsWarning[] {
  const out: SettingsWarning[] = [];
  const smtp = s.mode === 'smtp' ? s.smtp : undefined;
  if (smtp && smtp.preset !== 'other' && smtp.fromAddress.toLowerCase() !== smtp.username.toLowerCase()) {
    const who = { gmail: 'Gmail', outlook: 'Office 365', ionos: 'IONOS' }[smtp.preset];
    out.push(
      warning(
        'from_differs_from_username',
        `fromAddress (${smtp.fromAddress}) differs from the SMTP username (${smtp.username}): ${who} may rewrite or refuse the sender unless it is an alias the account may send as. Use the same address for both.`,
      ),
    );
  }
  if (smtp && smtp.tls === false && smtp.port === 465)
    out.push(warning('port_tls_mismatch', 'port 465 expects TLS from the first byte: set tls to true, or use port 587 with STARTTLS.'));
  if (smtp && smtp.tls === true && smtp.port === 587)
    out.push(warning('port_tls_mismatch', 'port 587 speaks STARTTLS: set tls to false (STARTTLS is still required), or use port 465.'));
  const p = s.mode === 'provider' ? s.provider : undefined;
  if (
    p?.name === 'mailgun' &&
    p.domain &&
    domainOf(p.fromAddress) !== p.domain &&
    !domainOf(p.fromAddress).endsWith(`.${p.domain}`) &&
    !p.domain.endsWith(`.${domainOf(p.fromAddress)}`)
  ) {
    out.push(
      warning(
        'mailgun_domain_mismatch',
        `the From address's domain (${domainOf(p.fromAddress)}) does not match the Mailgun sending domain (${p.domain}): recipients' servers may fail DMARC and junk the invoices.`,
      ),
    );
  }
  if (p?.webhook && !p.webhook.registered) {
    out.push(
      warning(
        'webhook_not_registered',
        `the ${p.name} webhook is not registered${p.webhook.error ? ` (${p.webhook.error})` : ''}: delivered, opened and bounced will not show in the history until it is. Register ${p.webhook.url} in ${p.name} and paste the verification key.`,
      ),
    );
  }
  return out;
}

/** A rejected login or sender, remembered from the last send, turned into advice. */
export function lastFailureWarnings(s: EmailSettings): SettingsWarning[] {
  const f = s.lastFailure;
  if (!f) return [];
  if (s.mode === 'smtp' && s.smtp?.preset === 'gmail' && f.code === 'EAUTH')
    return [
      warning(
        'gmail_app_password',
        `Gmail rejected the login on ${f.at}: use a 16-character app password (Google account > Security > 2-Step Verification > App passwords), not the account password.`,
      ),
    ];
  return [warning('last_send_failed', `the last send failed on ${f.at} (${f.code})${f.hint ? `: ${f.hint}` : ''}`)];
}

/** What the effective settings change for this tenant: a plan fallback, or no address for replies. */
export function effectiveWarnings(
  tenant: Tenant,
  effective: EffectiveSettings,
  ctx: { smtpPlans: readonly string[]; platformFrom: string },
): SettingsWarning[] {
  const out: SettingsWarning[] = [];
  const s = effective.settings;
  if (effective.fallback === 'plan_fallback') {
    out.push(
      warning(
        'plan_fallback',
        `the ${tenant.plan} plan does not allow sending through your own SMTP server (it needs the ${ctx.smtpPlans.join(' or ')} plan): emails go out through the platform instead, From ${ctx.platformFrom} with the name "${s.senderName}"${s.replyTo ? `, replies to ${s.replyTo}` : ''}. Upgrade the plan, or choose the platform or a provider.`,
      ),
    );
  }
  if (s.mode === 'platform' && !s.replyTo) {
    out.push(
      warning(
        'reply_to_missing',
        `no address receives replies: they would go to the platform's ${ctx.platformFrom}. Set the tenant's email (PUT /v1/tenants/${tenant.id}) or save settings with a replyTo.`,
      ),
    );
  }
  return out;
}
