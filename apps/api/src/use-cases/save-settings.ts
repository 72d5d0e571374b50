import { EmailSettings, EmailSettingsInput, mayUseSmtp, Tenant } from '@mailroom/domain';
import { assertLimitsWithinPreset, SettingsFieldError, storeSettingsPart, TenantSecrets, vetSettingsPart } from '@mailroom/transports';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';

/**
 * Replace a tenant's email settings. Plan gate first (nothing written on refusal), then secrets
 * sealed or kept, then one write that bumps the version so workers drop cached transports.
 */
export async function saveSettings(deps: ApiDeps, tenant: Tenant, input: EmailSettingsInput): Promise<EmailSettings> {
  const previous = await deps.store.settings.get(tenant.id);
  return deps.store.settings.put(await draftSettings(deps, tenant, input, previous));
}

/** The plan gate of `smtp` mode: the tenant's own server needs a plan in SMTP_PLANS. */
export function assertSmtpAllowed(deps: ApiDeps, tenant: Tenant): void {
  if (mayUseSmtp(tenant.plan, deps.config.smtpPlans)) return;
  throw new HttpError(
    403,
    'plan_not_eligible',
    `sending through your own SMTP server needs the ${deps.config.smtpPlans.join(' or ')} plan; tenant ${tenant.id} is on ${tenant.plan}. Use mode "platform" or "provider", or upgrade the plan.`,
  );
}

/** What a save would store, without storing it (also what "send test email" tests before saving). */
export async function draftSettings(
  deps: ApiDeps,
  tenant: Tenant,
  input: EmailSettingsInput,
  previous: EmailSettings | null,
): Promise<Omit<EmailSettings, 'version'>> {
  if (input.mode === 'smtp') assertSmtpAllowed(deps, tenant);
  const secrets = new TenantSecrets(deps.box, tenant.id);
  const part = await asHttpError(async () => {
    await vetSettingsPart(deps.providers, input, {
      tenantId: tenant.id,
      smtpHosts: deps.smtpHosts,
      config: deps.config,
      logger: deps.logger,
    });
    const stored = storeSettingsPart(deps.providers, input, previous, secrets);
    // The tenant's own sending limits, at most what the server of these settings publishes.
    assertLimitsWithinPreset(deps.providers, { mode: input.mode, ...stored, limits: input.limits });
    return stored;
  });
  return {
    tenantId: tenant.id,
    mode: input.mode,
    senderName: input.senderName,
    ...(input.replyTo ? { replyTo: input.replyTo } : {}),
    cc: input.cc,
    bcc: input.bcc,
    ...part,
    ...(input.limits && Object.keys(input.limits).length ? { limits: input.limits } : {}),
    updatedAt: deps.now().toISOString(),
  };
}

/** A module's refusal of a field, as the 400 that names it. */
export async function asHttpError<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    if (e instanceof SettingsFieldError) throw new HttpError(400, e.code, e.message, [{ field: e.field, message: e.reason }]);
    throw e;
  }
}
