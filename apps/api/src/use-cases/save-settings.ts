import { EmailSettings, EmailSettingsInput, mayUseSmtp, Tenant } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { buildProviderSettings, buildSmtpSettings } from './settings-secrets';
import { vetSmtpHost } from './vet-smtp-host';

/**
 * Replace a tenant's email settings. Plan gate first (nothing written on refusal), then secrets
 * sealed or kept, then one write that bumps the version so workers drop cached transports.
 */
export async function saveSettings(deps: ApiDeps, tenant: Tenant, input: EmailSettingsInput): Promise<EmailSettings> {
  const previous = await deps.store.settings.get(tenant.id);
  return deps.store.settings.put(await draftSettings(deps, tenant, input, previous));
}

/** What a save would store, without storing it (also what "send test email" tests before saving). */
export async function draftSettings(
  deps: ApiDeps,
  tenant: Tenant,
  input: EmailSettingsInput,
  previous: EmailSettings | null,
): Promise<Omit<EmailSettings, 'version'>> {
  if (input.mode === 'smtp' && !mayUseSmtp(tenant.plan, deps.config.smtpPlans)) {
    throw new HttpError(
      403,
      'plan_not_eligible',
      `sending through your own SMTP server needs the ${deps.config.smtpPlans.join(' or ')} plan; tenant ${tenant.id} is on ${tenant.plan}. Use mode "platform" or "provider", or upgrade the plan.`,
    );
  }
  if (input.mode === 'smtp' && input.smtp) await vetSmtpHost(deps, tenant.id, input.smtp);
  return {
    tenantId: tenant.id,
    mode: input.mode,
    senderName: input.senderName,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    cc: input.cc,
    bcc: input.bcc,
    ...(input.mode === 'smtp' ? { smtp: buildSmtpSettings(tenant.id, input.smtp!, previous, deps.box) } : {}),
    ...(input.mode === 'provider' ? { provider: buildProviderSettings(tenant.id, input.provider!, previous, deps.box) } : {}),
    updatedAt: deps.now().toISOString(),
  };
}
