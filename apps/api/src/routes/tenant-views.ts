import { PLANS, Tenant } from '@mailroom/domain';
import { z } from 'zod';
import { isoTime } from '../openapi/answer-fields';

/** A tenant as PUT and GET /v1/tenants/:tenantId answer it. */
export const tenantViewSchema = z.strictObject({
  id: z.string(),
  name: z.string(),
  plan: z.enum(PLANS),
  email: z.string().optional(),
  createdAt: isoTime,
  updatedAt: isoTime,
});

export const presentTenant = (t: Tenant): z.input<typeof tenantViewSchema> => t;

/** POST /v1/tenants/:tenantId/tokens: a tenant token and when it expires. */
export const tenantTokenSchema = z.strictObject({ token: z.string(), expiresAt: isoTime });
export const presentTenantToken = (t: { token: string; expiresAt: string }): z.input<typeof tenantTokenSchema> => t;
