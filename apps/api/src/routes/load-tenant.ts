import { tenantIdSchema, type Tenant } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';

/**
 * The tenant of a route, or the answer that says why not: an id no tenant could have is the 400 that
 * PUT /v1/tenants/:tenantId gives for it (never a 404 telling to create what cannot be created).
 */
export async function loadTenant(deps: ApiDeps, tenantId: string): Promise<Tenant> {
  parseOr400(tenantIdSchema, tenantId, 'tenantId');
  const tenant = await deps.store.tenants.get(tenantId);
  if (!tenant)
    throw new HttpError(404, 'tenant_not_found', `tenant ${tenantId} does not exist: create it with PUT /v1/tenants/${tenantId}`);
  return tenant;
}
