import { Router } from 'express';
import { EmailSettingsInput, emailSettingsInputSchema } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { requireTenantAccess } from '../http/auth';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { modeAccess } from '../use-cases/mode-access';
import { presentSettings } from '../use-cases/present-settings';
import { saveSettings } from '../use-cases/save-settings';
import { loadTenant } from './load-tenant';

export interface SettingsHooks {
  /** Runs after a save (webhook registration in provider mode); its warnings join the answer. */
  afterSave?: (tenantId: string, input: EmailSettingsInput) => Promise<string[]>;
}

export function settingsRoutes(deps: ApiDeps, hooks: SettingsHooks = {}): Router {
  const r = Router();
  const path = '/v1/tenants/:tenantId/email-settings';

  r.get(path, requireTenantAccess, async (req, res) => {
    const tenant = await loadTenant(deps, req.params.tenantId);
    const s = await deps.store.settings.get(tenant.id);
    if (!s) throw new HttpError(404, 'settings_not_found', `tenant ${tenant.id} has no email settings yet: PUT ${req.path}`);
    res.json({ ...presentSettings(s), ...modeAccess(tenant, deps.config.smtpPlans) });
  });

  r.put(path, requireTenantAccess, async (req, res) => {
    const tenant = await loadTenant(deps, req.params.tenantId);
    const input = parseOr400(emailSettingsInputSchema, req.body);
    let saved = await saveSettings(deps, tenant, input);
    const extra = hooks.afterSave ? await hooks.afterSave(tenant.id, input) : [];
    saved = (await deps.store.settings.get(tenant.id)) ?? saved;
    deps.logger.info({ tenantId: tenant.id, mode: saved.mode, version: saved.version }, 'email settings saved');
    res.json({ ...presentSettings(saved, extra), ...modeAccess(tenant, deps.config.smtpPlans) });
  });
  return r;
}
