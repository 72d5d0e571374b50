import { OAUTH_VENDORS } from '@mailroom/oauth';
import type { ProviderRegistry } from '@mailroom/transports';
import { z } from 'zod';
import type { RouteDoc } from '../../openapi/route-doc';
import { oauthStartAnswerSchema } from '../../use-cases/start-oauth-connection';
import { testEmailAnswerSchema } from '../../use-cases/send-test-email';
import { testEmailQuerySchema } from '../../use-cases/test-email-message';
import { oauthStartSchema } from '../oauth.routes';
import { settingsAnswerSchema } from '../settings.routes';
import { tenantParams, NOW, exampleSettingsPut } from './route-doc-examples';

/** A tenant's email settings, the test email and the OAuth2 connection. */
export function settingsRouteDocs(providers: ProviderRegistry): RouteDoc[] {
  const settingsAnswer = settingsAnswerSchema(providers);
  const settingsInput = providers.settingsInputSchema;
  return [
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
        'A secret left out keeps the stored one of the same transport; the SMTP password only while `host`, `port` and `username` stay the same (a change asks for it again: 400 on `smtp.password`), and a connected mailbox keeps the server it was connected with. `smtp` is required in mode `smtp`, `provider` in mode `provider`, `replyTo` in mode `platform`.',
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
      description:
        'An empty body tests the stored settings; a settings body tests a draft and stores nothing. `language` writes the test email in English (default) or Spanish.',
      tag: 'settings',
      auth: 'platformOrTenant',
      params: tenantParams,
      query: testEmailQuerySchema,
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
  ];
}
