import {
  emailAddressSchema,
  enqueueBatchResponseSchema,
  enqueueBatchSchema,
  enqueueEmailSchema,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_BATCH_ITEMS,
  historyQuerySchema,
  suppressionInputSchema,
  suppressionQuerySchema,
  tenantIdSchema,
  tenantInputSchema,
} from '@mailroom/domain';
import { OAUTH_VENDORS } from '@mailroom/oauth';
import type { ProviderRegistry } from '@mailroom/transports';
import { z } from 'zod';
import type { RouteDoc } from '../openapi/route-doc';
import { oauthStartAnswerSchema } from '../use-cases/start-oauth-connection';
import { testEmailAnswerSchema } from '../use-cases/send-test-email';
import { emailViewSchema, enqueueAnswerSchema, historyPageSchema, retryAnswerSchema } from './email-views';
import { oauthStartSchema } from './oauth.routes';
import { openApiAnswerSchema } from './openapi.routes';
import { settingsAnswerSchema } from './settings.routes';
import { suppressionPageSchema, suppressionViewSchema } from './suppression-views';
import { tenantTokenSchema, tenantViewSchema } from './tenant-views';

/**
 * Every /v1 route of the API, described from the zod schemas it validates and answers with: the
 * OpenAPI document (GET /v1/openapi.json) is generated from this list, and a test fails when a route
 * the app serves is missing here or one described here is not served. A new route gets its entry here.
 */

const tenantParams = z.strictObject({ tenantId: tenantIdSchema });
const emailParams = tenantParams.extend({ emailId: z.string().meta({ description: 'The id the enqueue answered (`em_...`).' }) });

const NOW = '2026-11-30T10:00:00.000Z';
const exampleTenant = { id: 'acme', name: 'Acme SL', plan: 'premium', email: 'billing@acme.example', createdAt: NOW, updatedAt: NOW };
const exampleEnqueue = {
  to: [{ email: 'client@customer.example', name: 'Client SA' }],
  subject: 'Invoice F-2026-0042',
  text: 'Please find your invoice attached.',
  attachments: [{ filename: 'F-2026-0042.pdf', contentType: 'application/pdf', content: 'JVBERi0xLjQK' }],
  document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
  metadata: { customer: 'c_1' },
};
const exampleSettingsPut = {
  mode: 'smtp',
  senderName: 'Acme SL',
  replyTo: 'billing@acme.example',
  smtp: {
    preset: 'other',
    host: 'mail.acme.example',
    port: 587,
    tls: false,
    fromAddress: 'billing@acme.example',
    username: 'billing@acme.example',
    password: 'app-password-0001',
  },
};
const LOCATION = { Location: 'The email: /v1/tenants/{tenantId}/emails/{emailId}' };

export function routeDocs(providers: ProviderRegistry): RouteDoc[] {
  const settingsAnswer = settingsAnswerSchema(providers);
  const settingsInput = providers.settingsInputSchema;
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
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/email-settings',
      operationId: 'getEmailSettings',
      summary: "The tenant's email settings, without secrets",
      description: 'Never saved: the platform defaults with `configured: false`. `transport` is what the next email really goes through.',
      tag: 'settings',
      auth: 'platformOrTenant',
      params: tenantParams,
      answers: {
        200: { description: 'The settings as shown (secrets replaced by `hasX` flags).', schema: settingsAnswer, name: 'EmailSettings' },
      },
      errors: { 404: 'No such tenant.' },
    },
    {
      method: 'put',
      path: '/v1/tenants/:tenantId/email-settings',
      operationId: 'putEmailSettings',
      summary: "Save the tenant's email settings",
      description:
        'A secret left out keeps the stored one of the same transport. `smtp` is required in mode `smtp`, `provider` in mode `provider`, `replyTo` in mode `platform`.',
      tag: 'settings',
      auth: 'platformOrTenant',
      params: tenantParams,
      body: { schema: settingsInput, name: 'EmailSettingsInput', required: true, example: exampleSettingsPut },
      answers: { 200: { description: 'The settings as saved, with warnings.', schema: settingsAnswer, name: 'EmailSettings' } },
      errors: {
        403: 'The plan does not allow this mode (`plan_not_eligible`).',
        404: 'No such tenant.',
        503: 'A check the save needs did not answer in time.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/email-settings/test',
      operationId: 'sendTestEmail',
      summary: 'Send a test email now',
      description: 'An empty body tests the stored settings; a settings body tests a draft and stores nothing.',
      tag: 'settings',
      auth: 'platformOrTenant',
      params: tenantParams,
      body: { schema: settingsInput, name: 'EmailSettingsInput', required: false, example: exampleSettingsPut },
      answers: {
        200: {
          description: 'Whether the server took the test (`ok: false` with its words when not).',
          schema: testEmailAnswerSchema,
          example: { ok: true, emailId: 'em_01JD3Q6X', to: 'billing@acme.example', messageId: '<em_01JD3Q6X@acme.example>' },
        },
      },
      errors: {
        404: 'No such tenant.',
        409: 'Nothing to test: no settings, or no address to send the test to.',
        429: 'Too many test emails this minute (`details.retryAfterSeconds`).',
        503: 'The rate limit (Redis) did not answer.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/email-settings/oauth/:vendor/start',
      operationId: 'startOAuthConnection',
      summary: 'Start connecting a mailbox with OAuth2 (the vendors are the `vendor` parameter)',
      tag: 'settings',
      auth: 'platformOrTenant',
      params: tenantParams.extend({ vendor: z.enum(OAUTH_VENDORS) }),
      body: { schema: oauthStartSchema, required: false, example: { returnUrl: 'https://app.acme.example/settings?tab=email' } },
      answers: {
        200: {
          description: "Where to send the admin's browser, and until when that link works.",
          schema: oauthStartAnswerSchema,
          example: { authorizeUrl: 'https://login.vendor.example/authorize?client_id=...&state=...', expiresAt: NOW },
        },
      },
      errors: {
        403: 'The plan does not allow the smtp mode (`plan_not_eligible`).',
        404: 'No such tenant or vendor, or the vendor is not offered here (`oauth_not_offered`).',
        503: 'Redis did not answer.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails',
      operationId: 'enqueueEmail',
      summary: 'Send an email (queued; the answer comes before the send)',
      description: '`text` or `html` is required. The same Idempotency-Key with the same body answers the first email again.',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: tenantParams,
      headers: {
        'Idempotency-Key': {
          schema: z.string().regex(IDEMPOTENCY_KEY_PATTERN),
          description: 'Makes a retried request safe: 1-200 visible ASCII characters.',
        },
      },
      body: { schema: enqueueEmailSchema, required: true, example: exampleEnqueue },
      answers: {
        202: {
          description: 'Queued (or, every recipient suppressed, `status: "suppressed"` and nothing sent).',
          schema: enqueueAnswerSchema,
          example: { id: 'em_01JD3Q6X', status: 'queued' },
          headers: { ...LOCATION, 'Idempotent-Replayed': '`true` when this answers an earlier request with the same Idempotency-Key.' },
        },
      },
      errors: {
        404: 'No such tenant.',
        409: 'The Idempotency-Key was used with another body, or its first request is still running.',
        413: 'The attachments are larger than allowed.',
        503: 'The send queue (Redis) is unavailable; nothing was stored.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails/batch',
      operationId: 'enqueueEmailBatch',
      summary: `Send up to ${MAX_BATCH_ITEMS} emails in one request`,
      description:
        'Each item is an email body plus its own `idempotencyKey` (required). Each item succeeds or fails on its own: one result per item, in order; a replayed item answers `replayed: true`.',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: tenantParams,
      body: {
        schema: enqueueBatchSchema,
        required: true,
        example: { items: [{ idempotencyKey: 'inv_42-1', ...exampleEnqueue }] },
      },
      answers: {
        207: {
          description: "One result per item, in the items' order: the email's id and status, or the item's error.",
          schema: enqueueBatchResponseSchema,
          example: {
            results: [
              { index: 0, id: 'em_01JD3Q6X', status: 'queued' },
              { index: 1, error: { code: 'invalid_request', message: 'subject: is required' } },
            ],
          },
        },
      },
      errors: {
        404: 'No such tenant.',
        413: `More than ${MAX_BATCH_ITEMS} items (\`too_many_items\`), or a body larger than BATCH_MAX_BODY_BYTES (\`payload_too_large\`).`,
      },
    },
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/emails',
      operationId: 'listEmails',
      summary: 'The history, newest first (cursor pages)',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: tenantParams,
      query: historyQuerySchema,
      answers: {
        200: {
          description: 'A page of emails and the cursor of the next (null: last page).',
          schema: historyPageSchema,
          name: 'EmailPage',
        },
      },
      errors: { 404: 'No such tenant.' },
    },
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/emails/:emailId',
      operationId: 'getEmail',
      summary: 'One email: status per recipient, attempts, events, opens',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: emailParams,
      answers: { 200: { description: 'The email.', schema: emailViewSchema, name: 'Email' } },
      errors: { 404: 'No such tenant or email.' },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails/:emailId/cancel',
      operationId: 'cancelEmail',
      summary: 'Cancel an email not accepted yet (queued or deferred)',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: emailParams,
      answers: {
        200: { description: 'The email as it now is (`canceled`, or already canceled).', schema: emailViewSchema, name: 'Email' },
      },
      errors: {
        404: 'No such tenant or email.',
        409: 'The email is being sent or past acceptance (`details.status`), or is a test email.',
        503: 'The send queue (Redis) is unavailable.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails/:emailId/retry',
      operationId: 'retryEmail',
      summary: 'Send a failed email again',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: emailParams,
      answers: {
        202: {
          description: 'Queued again.',
          schema: retryAnswerSchema,
          example: { id: 'em_01JD3Q6X', status: 'queued' },
          headers: LOCATION,
        },
      },
      errors: {
        404: 'No such tenant or email.',
        409: 'Only a failed email can be retried (`details.status`); a test email cannot.',
        410: 'The content is gone (retention): send a new email.',
        503: 'The send queue (Redis) is unavailable.',
      },
    },
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
