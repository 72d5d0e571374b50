import { tenantInputSchema } from '@mailroom/domain';
import type { RouteDoc } from '../../openapi/route-doc';
import { openApiAnswerSchema } from '../openapi.routes';
import { tenantTokenSchema, tenantViewSchema } from '../tenant-views';
import { tenantParams, exampleTenant } from './route-doc-examples';

/** The document itself, tenants and their tokens. */
export function tenantRouteDocs(): RouteDoc[] {
  return [
    {
      method: 'get',
      path: '/v1/openapi.json',
      operationId: 'getOpenApi',
      summary: 'This document',
      description: 'The OpenAPI 3.1 description of every /v1 route, generated from the schemas the API validates with. No token needed.',
      tag: 'meta',
      auth: 'none',
      answers: { 200: { description: 'The document.', schema: openApiAnswerSchema } },
      errors: {},
    },
    {
      method: 'put',
      path: '/v1/tenants/:tenantId',
      operationId: 'putTenant',
      summary: 'Create or update a tenant',
      description: '`email` left out keeps the stored one; `null` removes it.',
      tag: 'tenants',
      auth: 'platform',
      params: tenantParams,
      body: { schema: tenantInputSchema, required: true, example: { name: 'Acme SL', plan: 'premium', email: 'billing@acme.example' } },
      answers: {
        200: { description: 'The tenant existed and is updated.', schema: tenantViewSchema, name: 'Tenant', example: exampleTenant },
        201: { description: 'The tenant is created.', schema: tenantViewSchema, name: 'Tenant', example: exampleTenant },
      },
      errors: { 403: 'Only a platform API key may create or change a tenant.' },
    },
    {
      method: 'get',
      path: '/v1/tenants/:tenantId',
      operationId: 'getTenant',
      summary: 'A tenant',
      tag: 'tenants',
      auth: 'platformOrTenant',
      params: tenantParams,
      answers: { 200: { description: 'The tenant.', schema: tenantViewSchema, name: 'Tenant', example: exampleTenant } },
      errors: { 404: 'No such tenant (`tenant_not_found`).' },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/tokens',
      operationId: 'mintTenantToken',
      summary: "Mint a tenant token (for the tenant's admin screens)",
      tag: 'tenants',
      auth: 'platform',
      params: tenantParams,
      answers: {
        201: {
          description: 'A token that reaches this tenant only, and when it expires.',
          schema: tenantTokenSchema,
          example: { token: 'mrt_eyJ0IjoiYWNtZSJ9.c2lnbmF0dXJl', expiresAt: '2026-11-30T22:00:00.000Z' },
        },
      },
      errors: { 403: 'Only a platform API key mints tokens.', 404: 'No such tenant (`tenant_not_found`).' },
    },
  ];
}
