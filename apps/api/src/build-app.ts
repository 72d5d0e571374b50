import express, { Express } from 'express';
import { healthRoutes, ReadinessCheck } from '@mailroom/runtime';
import type { ProviderRegistry } from '@mailroom/transports';
import type { ApiDeps } from './api-deps';
import { adminUiRoutes } from './http/admin-ui';
import { authDepsOf, authenticate, requireTenantAccess } from './http/auth';
import { errorHandler, notFound } from './http/http-error';
import { methodNotAllowed } from './http/method-not-allowed';
import { requestLog } from './http/request-log';
import { BATCH_ENQUEUE_PATH, emailsRoutes } from './routes/emails.routes';
import { settingsRoutes, SettingsHooks } from './routes/settings.routes';
import { tenantsRoutes } from './routes/tenants.routes';
import { testEmailRoutes } from './routes/test-email.routes';
import { opsRoutes } from './routes/ops.routes';
import { suppressionsRoutes } from './routes/suppressions.routes';
import { oauthRoutes } from './routes/oauth.routes';
import { callbackWebhookDocs } from './openapi/callback-webhooks';
import { openApiDocument } from './openapi/openapi-document';
import { openApiRoutes } from './routes/openapi.routes';
import { routeDocs } from './routes/route-docs';

export interface AppExtras {
  settingsHooks?: SettingsHooks;
  /** Extra routers mounted behind authentication (test email, ops...). */
  routers?: express.Router[];
  /** What /readyz checks: the store and Redis answer. */
  readiness: Record<string, ReadinessCheck>;
  /** The built admin screens served under /ui/ (api-server.ts passes apps/admin-ui/dist). */
  adminUiDir?: string;
}

/** The version the OpenAPI document states: the /v1 routes' contract, bumped when an answer changes shape. */
const API_VERSION = '1.0.0';

/**
 * The document GET /v1/openapi.json serves (decision 0031): the /v1 routes of these providers' settings,
 * and the status callbacks Mailroom posts to the platform.
 */
export function apiOpenApiDocument(providers: ProviderRegistry): object {
  return openApiDocument(routeDocs(providers), { version: API_VERSION, webhooks: callbackWebhookDocs() });
}

/** The JSON body parser of every route but the batch's (enqueue-email.listener.ts uses the same). */
export function jsonBody(config: ApiDeps['config']) {
  // Base64 inflates by 4/3; leave room for the JSON around the attachments.
  const bodyLimit = Math.ceil((config.limits.maxAttachmentBytes * 4) / 3) + 1024 * 1024;
  return express.json({ limit: bodyLimit, strict: true });
}

/** The API's Express app. No listening, no I/O setup: api-server.ts does that. */
export function buildApp(deps: ApiDeps, extras: AppExtras): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', true);
  const json = jsonBody(deps.config);

  app.use(requestLog(deps.logger));
  app.use(healthRoutes('api', extras.readiness));
  if (extras.adminUiDir) app.use('/ui', adminUiRoutes({ dir: extras.adminUiDir, frameAncestors: deps.config.ui.frameAncestors }));
  app.use(opsRoutes(deps));
  // The batch enqueue reads its larger body itself, once the caller is authenticated (emails.routes.ts).
  app.use((req, res, next) => (req.method === 'POST' && BATCH_ENQUEUE_PATH.test(req.path) ? next() : json(req, res, next)));
  // The API's own description, before authentication: it holds no tenant's data and no secret (decision 0031).
  app.use(openApiRoutes(apiOpenApiDocument(deps.providers)));
  app.use('/v1', authenticate(authDepsOf(deps)));
  // Every tenant route, including ones added later, is fenced here first.
  app.use('/v1/tenants/:tenantId', requireTenantAccess);
  app.use(tenantsRoutes(deps));
  app.use(settingsRoutes(deps, extras.settingsHooks));
  app.use(testEmailRoutes(deps));
  app.use(oauthRoutes(deps));
  app.use(emailsRoutes(deps));
  app.use(suppressionsRoutes(deps));
  for (const r of extras.routers ?? []) app.use(r);
  // A served path with a method it does not take: 405 with Allow, from the same route list.
  app.use(methodNotAllowed(routeDocs(deps.providers)));
  app.use(notFound);
  app.use(errorHandler(deps.logger));
  return app;
}
