import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { safeEqual, TenantTokens } from '@mailroom/security';
import { HttpError } from './http-error';

export type Principal = { kind: 'platform' } | { kind: 'tenant'; tenantId: string } | { kind: 'ops' };

export interface AuthDeps {
  apiKeys: string[];
  opsToken: string;
  tenantTokens: TenantTokens;
}

function bearer(req: Request): string | undefined {
  const h = req.headers.authorization;
  const m = h && /^Bearer\s+(\S+)$/i.exec(h);
  return m ? m[1] : undefined;
}

function identify(token: string, deps: AuthDeps): Principal | null {
  if (deps.apiKeys.some((k) => safeEqual(k, token))) return { kind: 'platform' };
  if (safeEqual(deps.opsToken, token)) return { kind: 'ops' };
  const tenantId = deps.tenantTokens.verify(token);
  return tenantId ? { kind: 'tenant', tenantId } : null;
}

export function principalOf(req: Request): Principal {
  return (req as Request & { principal: Principal }).principal;
}

export function authenticate(deps: AuthDeps): RequestHandler {
  return (req, res, next) => {
    const token = bearer(req);
    if (!token) {
      res.setHeader('WWW-Authenticate', 'Bearer');
      return next(new HttpError(401, 'unauthenticated', 'send Authorization: Bearer <platform key or tenant token>'));
    }
    const p = identify(token, deps);
    if (!p) {
      res.setHeader('WWW-Authenticate', 'Bearer error="invalid_token"');
      return next(new HttpError(401, 'invalid_token', 'the bearer token is unknown, forged or expired'));
    }
    (req as Request & { principal: Principal }).principal = p;
    next();
  };
}

/**
 * A guard placed before a route's handler. Generic in the route's parameters so that it leaves them to the
 * route path: express 5's types infer `req.params` from the path only when no handler pins them.
 */
export type RouteGuard = <P>(req: Request<P>, res: Response, next: NextFunction) => void;

/** Platform keys reach every tenant; a tenant token reaches its own tenant only; the ops token reaches none. */
export const requireTenantAccess: RouteGuard = (req, _res, next) => {
  const p = principalOf(req as Request);
  if (p.kind === 'platform') return next();
  if (p.kind === 'tenant' && p.tenantId === (req.params as { tenantId?: unknown }).tenantId) return next();
  next(
    new HttpError(403, 'forbidden', p.kind === 'ops' ? 'the ops token does not reach tenant routes' : 'this token is for another tenant'),
  );
};

export const requirePlatform: RouteGuard = (req, _res, next) =>
  principalOf(req as Request).kind === 'platform' ? next() : next(new HttpError(403, 'forbidden', 'only a platform API key may do this'));

export const requireOps: RequestHandler = (req, _res, next) =>
  principalOf(req).kind === 'ops' ? next() : next(new HttpError(403, 'forbidden', 'this route takes the ops token'));
