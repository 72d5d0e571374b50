import { Router } from 'express';
import { OAUTH_VENDORS, OAUTH_VIAS, OAuthVendorName } from '@mailroom/oauth';
import { typeError } from '@mailroom/domain';
import { mailServerShape } from '@mailroom/transports';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { requireTenantAccess } from '../http/auth';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { startOAuthConnection } from '../use-cases/start-oauth-connection';
import { loadTenant } from './load-tenant';

export const oauthStartSchema = z.strictObject({
  returnUrl: z
    .string({ error: typeError('returnUrl', 'returnUrl must be a string') })
    .max(2000)
    .optional(),
  via: z.enum(OAUTH_VIAS, { error: `via must be one of ${OAUTH_VIAS.join(', ')}` }).optional(),
  ...mailServerShape,
});

/** `POST /v1/tenants/:tenantId/email-settings/oauth/:vendor/start`: `{ authorizeUrl, expiresAt }`. */
export function oauthRoutes(deps: ApiDeps): Router {
  const r = Router();
  r.post('/v1/tenants/:tenantId/email-settings/oauth/:vendor/start', requireTenantAccess, async (req, res) => {
    const vendor = req.params.vendor;
    if (!(OAUTH_VENDORS as readonly string[]).includes(vendor))
      throw new HttpError(404, 'not_found', `no mailbox vendor "${vendor}": use ${OAUTH_VENDORS.join(' or ')}`);
    const tenant = await loadTenant(deps, req.params.tenantId);
    const body = req.body === undefined ? {} : req.body;
    const input = parseOr400(oauthStartSchema, body);
    res.json(await startOAuthConnection(deps, tenant, vendor as OAuthVendorName, input));
  });
  return r;
}
