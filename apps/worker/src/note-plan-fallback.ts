import { EffectiveSettings, EmailSettings, markPlanFallback, Tenant } from '@mailroom/domain';
import type { Logger } from 'pino';
import type { WorkerDeps } from './worker-deps';

/**
 * Keeps the settings' `planFallback` marker true to what this send does: set when a tenant in `smtp`
 * mode sends through the platform because its plan no longer allows its own server (the start of an
 * episode, which the store turns into one `settings.failing` callback, reason `plan_fallback`),
 * cleared when it sends without the fallback again. Costs nothing while nothing changes (the stored
 * settings are already read). A failure to write is logged: the email is sent either way.
 */
export async function notePlanFallback(
  deps: WorkerDeps,
  tenant: Tenant,
  stored: EmailSettings | null,
  effective: EffectiveSettings,
  log: Logger,
): Promise<void> {
  if (!stored) return;
  const fallbackPlan = effective.fallback === 'plan_fallback' ? tenant.plan : null;
  const at = deps.now().toISOString();
  if (markPlanFallback(stored, fallbackPlan, at) === null) return;
  await deps.store.settings
    .update(tenant.id, (s) => markPlanFallback(s, fallbackPlan, at))
    .catch((err: unknown) => log.error({ err }, 'could not record the plan fallback on the settings'));
}
