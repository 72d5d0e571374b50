import type { ProviderRegistry } from '@mailroom/transports';
import type { RouteDoc } from '../openapi/route-doc';
import { emailRouteDocs } from './route-docs/emails';
import { settingsRouteDocs } from './route-docs/settings';
import { suppressionRouteDocs } from './route-docs/suppressions';
import { tenantRouteDocs } from './route-docs/tenants';

/**
 * Every /v1 route of the API, described from the zod schemas it validates and answers with: the
 * OpenAPI document (GET /v1/openapi.json) is generated from this list, and a test fails when a route
 * the app serves is missing here or one described here is not served. A new route gets its entry here.
 */
export function routeDocs(providers: ProviderRegistry): RouteDoc[] {
  return [...tenantRouteDocs(), ...settingsRouteDocs(providers), ...emailRouteDocs(), ...suppressionRouteDocs()];
}
