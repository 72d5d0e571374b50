/**
 * The routes an Express 5 app serves, read from its router stack: every route's methods and full
 * path, and every mount (a router mounted under a path, or a whole sub-app such as bull-board) as
 * one entry. So a route added to an app is found without editing the fuzz test, which then fails
 * until it has an arbitrary for it.
 */
export interface FoundRoute {
  /** `GET /v1/tenants/:tenantId`, or `MOUNT /ui` for what is mounted under a path. */
  key: string;
  method: string;
  path: string;
}

interface Layer {
  rawPath?: string | string[];
  route?: { path: string | string[]; methods: Record<string, boolean> };
  handle?: { stack?: Layer[]; set?: unknown; router?: { stack: Layer[] } };
}

const join = (a: string, b: string) => (a + (b === '/' ? '' : b)).replace(/\/{2,}/g, '/') || '/';

export function expressRoutes(app: unknown): FoundRoute[] {
  const router = (app as { router?: { stack: Layer[] } }).router;
  if (!router) throw new Error('not an Express 5 app (no app.router)');
  const out: FoundRoute[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      const raw = layer.rawPath ?? '/';
      const paths = Array.isArray(raw) ? raw : [raw];
      if (layer.route) {
        const routePaths = Array.isArray(layer.route.path) ? layer.route.path : [layer.route.path];
        for (const p of routePaths)
          for (const method of Object.keys(layer.route.methods)) {
            const path = join(prefix, p);
            out.push({ key: `${method.toUpperCase()} ${path}`, method: method.toUpperCase(), path });
          }
        continue;
      }
      const mounted = paths[0] !== '/';
      if (typeof layer.handle?.set === 'function') {
        // A whole Express app (bull-board): fuzzed as one mount, its own routes are its authors'.
        for (const p of paths) out.push({ key: `MOUNT ${join(prefix, p)}`, method: '*', path: join(prefix, p) });
      } else if (layer.handle?.stack) {
        if (mounted) for (const p of paths) out.push({ key: `MOUNT ${join(prefix, p)}`, method: '*', path: join(prefix, p) });
        for (const p of paths) walk(layer.handle.stack, join(prefix, p));
      }
    }
  };
  walk(router.stack, '');
  return out;
}

/** Served by packages/metrics in front of each app's Express handler, so no router walk finds it. */
export const SERVED_BEFORE_THE_ROUTER: FoundRoute[] = [{ key: 'GET /metrics', method: 'GET', path: '/metrics' }];

/** Served by the webhooks app's own listener in front of its Express handler (decision 0041). */
export const WEBHOOKS_SERVED_BEFORE_THE_ROUTER: FoundRoute[] = [
  { key: 'POST /webhooks/:provider/:tenantId', method: 'POST', path: '/webhooks/:provider/:tenantId' },
];
