import { Router } from 'express';
import { tenantIdSchema, tenantInputSchema } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { requirePlatform, requireTenantAccess } from '../http/auth';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { presentTenant, presentTenantToken } from './tenant-views';

export function tenantsRoutes(deps: ApiDeps): Router {
  const r = Router();

  r.put('/v1/tenants/:tenantId', requireTenantAccess, requirePlatform, async (req, res) => {
    const id = parseOr400(tenantIdSchema, req.params.tenantId, 'tenantId');
    const input = parseOr400(tenantInputSchema, req.body);
    const existed = await deps.store.tenants.get(id);
    // `email` left out keeps the stored one; null removes it.
    const tenant = await deps.store.tenants.upsert({ id, ...input }, deps.now().toISOString());
    res.status(existed ? 200 : 201).json(presentTenant(tenant));
  });

  r.get('/v1/tenants/:tenantId', requireTenantAccess, async (req, res) => {
    const tenant = await deps.store.tenants.get(req.params.tenantId);
    if (!tenant)
      throw new HttpError(
        404,
        'tenant_not_found',
        `tenant ${req.params.tenantId} does not exist: create it with PUT /v1/tenants/${req.params.tenantId}`,
      );
    res.json(presentTenant(tenant));
  });

  r.post('/v1/tenants/:tenantId/tokens', requirePlatform, async (req, res) => {
    const tenant = await deps.store.tenants.get(req.params.tenantId);
    if (!tenant) throw new HttpError(404, 'tenant_not_found', `tenant ${req.params.tenantId} does not exist`);
    res.status(201).json(presentTenantToken(deps.tenantTokens.mint(tenant.id, deps.now().getTime())));
  });
  return r;
}
