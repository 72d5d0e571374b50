import { Router } from 'express';
import type { EmailSettings, EmailSettingsInput, SettingsWarning, Tenant } from '@mailroom/domain';
import { effectiveSettings, SENDING_MODES, transportOf } from '@mailroom/domain';
import { OAUTH_VENDORS } from '@mailroom/oauth';
import type { ProviderRegistry } from '@mailroom/transports';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { requireTenantAccess } from '../http/auth';
import { parseOr400 } from '../http/validate';
import { modeAccess } from '../use-cases/mode-access';
import { presentSettings, settingsViewSchema } from '../use-cases/present-settings';
import { saveSettings } from '../use-cases/save-settings';
import { effectiveWarnings } from '../use-cases/settings-warnings';
import { loadTenant } from './load-tenant';

export interface SettingsHooks {
  /** Runs after a save (webhook registration in provider mode); its warnings join the answer. */
  afterSave?: (tenantId: string, input: EmailSettingsInput) => Promise<SettingsWarning[]>;
}

/** Which mailbox vendors the platform offers to connect with OAuth2 (those with a client id), for the admin screen. */
export function oauthOffered(deps: ApiDeps): Record<string, boolean> {
  const offered = new Set<string>(deps.oauth.offered());
  return Object.fromEntries(OAUTH_VENDORS.map((v) => [v, offered.has(v)]));
}

/** The schema of settingsAnswer: presentSettings' fields and what the next email really goes through. */
export function settingsAnswerSchema(registry: ProviderRegistry) {
  return settingsViewSchema(registry).extend({
    configured: z.boolean(),
    transport: z.strictObject({
      mode: z.enum(SENDING_MODES),
      provider: z.string().optional(),
      reason: z.enum(['plan_fallback']).optional(),
    }),
    plan: z.string(),
    allowedModes: z.array(z.enum(SENDING_MODES)),
    smtpPlans: z.array(z.string()),
    oauth: z.record(z.string(), z.boolean()),
  });
}

/**
 * The settings answer: what is saved (or, never saved, the platform defaults with `configured: false`),
 * what the next email really goes through (`transport`, with the fallback reason), the warnings, what
 * the plan allows, and which mailbox vendors may be connected with OAuth2 (`oauth`).
 */
function settingsAnswer(
  deps: ApiDeps,
  tenant: Tenant,
  stored: EmailSettings | null,
  extra: SettingsWarning[] = [],
): z.input<ReturnType<typeof settingsAnswerSchema>> {
  const effective = effectiveSettings(tenant, stored, deps.config.smtpPlans);
  const warnings = effectiveWarnings(tenant, effective, { smtpPlans: deps.config.smtpPlans, platformFrom: deps.config.platform.from });
  const shown = presentSettings(deps.providers, stored ?? effective.settings, [...extra, ...warnings]);
  return {
    ...shown,
    ...(stored ? {} : { version: 0, updatedAt: null }),
    configured: effective.configured,
    transport: transportOf(effective),
    ...modeAccess(tenant, deps.config.smtpPlans),
    oauth: oauthOffered(deps),
  };
}

export function settingsRoutes(deps: ApiDeps, hooks: SettingsHooks = {}): Router {
  const r = Router();
  const path = '/v1/tenants/:tenantId/email-settings';

  r.get(path, requireTenantAccess, async (req, res) => {
    const tenant = await loadTenant(deps, req.params.tenantId);
    res.json(settingsAnswer(deps, tenant, await deps.store.settings.get(tenant.id)));
  });

  r.put(path, requireTenantAccess, async (req, res) => {
    const tenant = await loadTenant(deps, req.params.tenantId);
    const input = parseOr400(deps.providers.settingsInputSchema, req.body);
    let saved = await saveSettings(deps, tenant, input);
    const extra = hooks.afterSave ? await hooks.afterSave(tenant.id, input) : [];
    saved = (await deps.store.settings.get(tenant.id)) ?? saved;
    deps.logger.info({ tenantId: tenant.id, mode: saved.mode, version: saved.version }, 'email settings saved');
    res.json(settingsAnswer(deps, tenant, saved, extra));
  });
  return r;
}
