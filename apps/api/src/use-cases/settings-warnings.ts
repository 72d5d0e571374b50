import { EffectiveSettings, settingsWarning, SettingsWarning, Tenant } from '@mailroom/domain';

/**
 * What the effective settings change for this tenant: a plan fallback, or no address for replies.
 * Warnings about a transport's own fields are its module's (packages/transports settings-parts.ts).
 */
export function effectiveWarnings(
  tenant: Tenant,
  effective: EffectiveSettings,
  ctx: { smtpPlans: readonly string[]; platformFrom: string },
): SettingsWarning[] {
  const out: SettingsWarning[] = [];
  const s = effective.settings;
  if (effective.fallback === 'plan_fallback') {
    out.push(
      settingsWarning(
        'plan_fallback',
        `the ${tenant.plan} plan does not allow sending through your own SMTP server (it needs the ${ctx.smtpPlans.join(' or ')} plan): emails go out through the platform instead, From ${ctx.platformFrom} with the name "${s.senderName}"${s.replyTo ? `, replies to ${s.replyTo}` : ''}. Upgrade the plan, or choose the platform or a provider.`,
      ),
    );
  }
  if (s.mode === 'platform' && !s.replyTo) {
    out.push(
      settingsWarning(
        'reply_to_missing',
        `no address receives replies: they would go to the platform's ${ctx.platformFrom}. Set the tenant's email (PUT /v1/tenants/${tenant.id}) or save settings with a replyTo.`,
      ),
    );
  }
  return out;
}
