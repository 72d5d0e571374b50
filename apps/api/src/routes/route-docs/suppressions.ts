import { emailAddressSchema, suppressionInputSchema, suppressionQuerySchema } from '@mailroom/domain';
import type { RouteDoc } from '../../openapi/route-doc';
import { suppressionPageSchema, suppressionViewSchema } from '../suppression-views';
import { tenantParams, NOW } from './route-doc-examples';

/** The tenant's suppression list. */
export function suppressionRouteDocs(): RouteDoc[] {
  return [
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/suppressions',
      operationId: 'listSuppressions',
      summary: "The tenant's suppression list (cursor pages)",
      description: 'Filter by `address` (exact) or `addressPrefix`, not both; `reason`. Expired bounces are left out.',
      tag: 'suppressions',
      auth: 'platformOrTenant',
      params: tenantParams,
      query: suppressionQuerySchema,
      answers: {
        200: {
          description: 'A page of entries and the cursor of the next (null: last page).',
          schema: suppressionPageSchema,
          name: 'SuppressionPage',
        },
      },
      errors: { 404: 'No such tenant.' },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/suppressions',
      operationId: 'addSuppression',
      summary: 'Add an address to the suppression list by hand',
      tag: 'suppressions',
      auth: 'platformOrTenant',
      params: tenantParams,
      body: { schema: suppressionInputSchema, required: true, example: { address: 'gone@customer.example', note: 'asked us to stop' } },
      answers: {
        200: { description: 'The address was already on the list: the entry kept.', schema: suppressionViewSchema, name: 'Suppression' },
        201: {
          description: 'Added.',
          schema: suppressionViewSchema,
          name: 'Suppression',
          example: { tenantId: 'acme', address: 'gone@customer.example', reason: 'manual', detail: 'asked us to stop', createdAt: NOW },
        },
      },
      errors: { 404: 'No such tenant.' },
    },
    {
      method: 'delete',
      path: '/v1/tenants/:tenantId/suppressions/:address',
      operationId: 'removeSuppression',
      summary: 'Remove an address from the suppression list',
      tag: 'suppressions',
      auth: 'platformOrTenant',
      params: tenantParams.extend({ address: emailAddressSchema }),
      answers: { 204: { description: 'Removed; the next email to it is sent.' } },
      errors: { 404: 'No such tenant, or the address is not on the list (`suppression_not_found`).' },
    },
  ];
}
