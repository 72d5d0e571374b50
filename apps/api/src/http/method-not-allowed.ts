import type { RequestHandler } from 'express';
import type { RouteDoc } from '../openapi/route-doc';
import { HttpError } from './http-error';

/** An Express path (`/v1/tenants/:tenantId/emails`) as a pattern matching one request path. */
function pathPattern(path: string): RegExp {
  const escaped = path.split('/').map((part) => (part.startsWith(':') ? '[^/]+' : part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')));
  return new RegExp(`^${escaped.join('/')}/?$`);
}

/**
 * After every route: a path the API serves asked with a method it does not take answers 405 with
 * `Allow` (RFC 9110 §15.5.6), not 404, so a caller sees it has the right address and the wrong verb.
 * The methods come from the routes' own descriptions (the OpenAPI list, which a test keeps equal to
 * what the app serves); any other path falls through to the 404.
 */
export function methodNotAllowed(docs: readonly RouteDoc[]): RequestHandler {
  const routes = docs.map((d) => ({ pattern: pathPattern(d.path), method: d.method.toUpperCase() }));
  return (req, res, next) => {
    const allowed = new Set(routes.filter((r) => r.pattern.test(req.path)).map((r) => r.method));
    if (allowed.size === 0 || allowed.has(req.method)) return next();
    if (allowed.has('GET')) allowed.add('HEAD');
    const allow = [...allowed].sort().join(', ');
    res.setHeader('Allow', allow);
    next(new HttpError(405, 'method_not_allowed', `${req.method} is not served on ${req.path}: use ${allow}`));
  };
}
