import { PLANS, Tenant } from '@mailroom/domain';
import { z } from 'zod';

/** A tenant as PUT and GET /v1/tenants/:tenantId answer it. */
export const tenantViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  plan: z.enum(PLANS),
  email: z.string().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export const presentTenant = (t: Tenant): z.input<typeof tenantViewSchema> => t;

/** POST /v1/tenants/:tenantId/tokens: a tenant token and when it expires. */
export const tenantTokenSchema = z.strictObject({ token: z.string(), expiresAt: z.string() });
export const presentTenantToken = (t: { token: string; expiresAt: string }): z.input<typeof tenantTokenSchema> => t;
