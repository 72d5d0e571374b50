import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { safeEqual, TenantTokens } from '@mailroom/security';
import { HttpError } from './http-error';

export type Principal = { kind: 'platform' } | { kind: 'tenant'; tenantId: string } | { kind: 'ops' };

export interface AuthDeps {
  apiKeys: string[];
  opsToken: string;
  tenantTokens: TenantTokens;
}

/** The credentials every authenticated route checks, from the API's deps (Express's middleware and the enqueue listener alike). */
export function authDepsOf(deps: { config: { apiKeys: string[]; opsToken: string }; tenantTokens: TenantTokens }): AuthDeps {
  return { apiKeys: deps.config.apiKeys, opsToken: deps.config.opsToken, tenantTokens: deps.tenantTokens };
}

function bearer(authorization: string | undefined): string | undefined {
  const m = authorization && /^Bearer\s+(\S+)$/i.exec(authorization);
  return m ? m[1] : undefined;
}

function identify(token: string, deps: AuthDeps): Principal | null {
  if (deps.apiKeys.some((k) => safeEqual(k, token))) return { kind: 'platform' };
  if (safeEqual(deps.opsToken, token)) return { kind: 'ops' };
  const tenantId = deps.tenantTokens.verify(token);
  return tenantId ? { kind: 'tenant', tenantId } : null;
}

/** Who the Authorization header names, or the 401 to answer with its WWW-Authenticate value (no web framework: enqueue-email.listener.ts). */
export function authenticateHeader(
  authorization: string | undefined,
  deps: AuthDeps,
): { principal: Principal } | { error: HttpError; wwwAuthenticate: string } {
  const token = bearer(authorization);
  if (!token)
    return {
      error: new HttpError(401, 'unauthenticated', 'send Authorization: Bearer <platform key or tenant token>'),
      wwwAuthenticate: 'Bearer',
    };
  const principal = identify(token, deps);
  if (!principal)
    return {
      error: new HttpError(401, 'invalid_token', 'the bearer token is unknown, forged or expired'),
      wwwAuthenticate: 'Bearer error="invalid_token"',
    };
  return { principal };
}

/** Platform keys reach every tenant; a tenant token reaches its own tenant only; the ops token reaches none. */
export function tenantAccessError(p: Principal, tenantId: unknown): HttpError | undefined {
  if (p.kind === 'platform') return undefined;
  if (p.kind === 'tenant' && p.tenantId === tenantId) return undefined;
  return new HttpError(
    403,
    'forbidden',
    p.kind === 'ops' ? 'the ops token does not reach tenant routes' : 'this token is for another tenant',
  );
}

export function principalOf(req: Request): Principal {
  return (req as Request & { principal: Principal }).principal;
}

export function authenticate(deps: AuthDeps): RequestHandler {
  return (req, res, next) => {
    const who = authenticateHeader(req.headers.authorization, deps);
    if ('error' in who) {
      res.setHeader('WWW-Authenticate', who.wwwAuthenticate);
      return next(who.error);
    }
    (req as Request & { principal: Principal }).principal = who.principal;
    next();
  };
}

/**
 * A guard placed before a route's handler. Generic in the route's parameters so that it leaves them to the
 * route path: express 5's types infer `req.params` from the path only when no handler pins them.
 */
export type RouteGuard = <P>(req: Request<P>, res: Response, next: NextFunction) => void;

/** Platform keys reach every tenant; a tenant token reaches its own tenant only; the ops token reaches none. */
export const requireTenantAccess: RouteGuard = (req, _res, next) =>
  next(tenantAccessError(principalOf(req as Request), (req.params as { tenantId?: unknown }).tenantId));

export const requirePlatform: RouteGuard = (req, _res, next) =>
  principalOf(req as Request).kind === 'platform' ? next() : next(new HttpError(403, 'forbidden', 'only a platform API key may do this'));

export const requireOps: RequestHandler = (req, _res, next) =>
  principalOf(req).kind === 'ops' ? next() : next(new HttpError(403, 'forbidden', 'this route takes the ops token'));
