import { mayUseSmtp, SENDING_MODES, SendingMode, Tenant } from '@mailroom/domain';

/**
 * What the tenant's plan allows, beside its settings: the admin screen shows a mode it may not use
 * as disabled, with the plans that allow it, instead of finding out from a 403 on save.
 */
export function modeAccess(
  tenant: Tenant,
  smtpPlans: readonly string[],
): { plan: string; allowedModes: SendingMode[]; smtpPlans: string[] } {
  return {
    plan: tenant.plan,
    allowedModes: SENDING_MODES.filter((m) => m !== 'smtp' || mayUseSmtp(tenant.plan, smtpPlans)),
    smtpPlans: [...smtpPlans],
  };
}
