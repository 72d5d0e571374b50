import type { Tenant } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';

export async function loadTenant(deps: ApiDeps, tenantId: string): Promise<Tenant> {
  const tenant = await deps.store.tenants.get(tenantId);
  if (!tenant)
    throw new HttpError(404, 'tenant_not_found', `tenant ${tenantId} does not exist: create it with PUT /v1/tenants/${tenantId}`);
  return tenant;
}
