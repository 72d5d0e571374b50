import { Router } from 'express';
import { emailAddressSchema, newSuppression, suppressionInputSchema, suppressionQuerySchema } from '@mailroom/domain';
import { InvalidCursorError } from '@mailroom/store';
import type { ApiDeps } from '../api-deps';
import { requireTenantAccess } from '../http/auth';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { loadTenant } from './load-tenant';
import { presentSuppression, presentSuppressionPage } from './suppression-views';

/**
 * The tenant's suppression list: addresses its emails are not sent to (hard bounces, complaints,
 * refused mailboxes, and manual entries). Tenant tokens reach their own list only (the fence in
 * build-app and requireTenantAccess here).
 */
export function suppressionsRoutes(deps: ApiDeps): Router {
  const r = Router();
  const base = '/v1/tenants/:tenantId/suppressions';
  const now = () => deps.now().toISOString();

  r.get(base, requireTenantAccess, async (req, res) => {
    await loadTenant(deps, req.params.tenantId);
    const query = parseOr400(suppressionQuerySchema, req.query, 'query');
    try {
      res.json(presentSuppressionPage(await deps.store.suppressions.list(req.params.tenantId, query, now())));
    } catch (e) {
      if (e instanceof InvalidCursorError)
        throw new HttpError(400, 'invalid_cursor', 'cursor: not a cursor this API handed out; start again without it');
      throw e;
    }
  });

  // Idempotent on the address: 201 when it was not on the list, 200 with the entry that is kept when it was.
  r.post(base, requireTenantAccess, async (req, res) => {
    const tenant = await loadTenant(deps, req.params.tenantId);
    const input = parseOr400(suppressionInputSchema, req.body);
    const at = now();
    const entry = newSuppression(
      { tenantId: tenant.id, address: input.address, reason: input.reason, detail: input.note },
      at,
      deps.config.suppression.bounceDays,
    );
    const { suppression, created } = await deps.store.suppressions.add(entry, at);
    res
      .status(created ? 201 : 200)
      .setHeader('Location', `/v1/tenants/${tenant.id}/suppressions/${encodeURIComponent(suppression.address)}`)
      .json(presentSuppression(suppression));
  });

  r.delete(`${base}/:address`, requireTenantAccess, async (req, res) => {
    const tenant = await loadTenant(deps, req.params.tenantId);
    const address = parseOr400(emailAddressSchema, req.params.address, 'address');
    if (!(await deps.store.suppressions.remove(tenant.id, address, now())))
      throw new HttpError(404, 'suppression_not_found', `${address} is not on the suppression list of tenant ${tenant.id}`);
    res.status(204).end();
  });
  return r;
}
