import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { parseOr400 } from '../http/validate';
import { sendTestEmail } from '../use-cases/send-test-email';
import { testEmailQuerySchema } from '../use-cases/test-email-message';
import { loadTenant } from './load-tenant';

/**
 * POST .../email-settings/test: empty body tests the stored settings; a settings body tests a draft,
 * storing nothing. `?language=es` writes the test email in Spanish (default English).
 */
export function testEmailRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.post('/v1/tenants/:tenantId/email-settings/test', async (req, res) => {
    const { language } = parseOr400(testEmailQuerySchema, req.query, 'query');
    const tenant = await loadTenant(deps, req.params.tenantId);
    const body = req.body && typeof req.body === 'object' && Object.keys(req.body).length > 0 ? req.body : undefined;
    const draft = body ? parseOr400(deps.providers.settingsInputSchema, body) : undefined;
    const answer = await sendTestEmail(deps, tenant, draft, language);
    // The request line names the test email, as an enqueue's names the email it created.
    res.locals.emailId = answer.emailId;
    res.status(200).json(answer);
  });
  return r;
}
