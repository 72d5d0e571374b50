import type { RequestHandler } from 'express';
import pinoHttp from 'pino-http';
import type { Logger } from 'pino';

/**
 * One line per request: method, path (no query string: it can carry cursors and filters, not
 * secrets, but keep lines short), status, time, and the tenant the route names. Headers are not
 * logged at all, so no Authorization can leak.
 */
export function requestLog(logger: Logger): RequestHandler {
  return pinoHttp({
    logger,
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    serializers: {
      req: (req) => ({ method: req.method, path: String(req.url).split('?')[0] }),
      res: (res) => ({ status: res.statusCode }),
    },
    customProps: (req) => {
      const m = /^\/v1\/tenants\/([^/?]+)/.exec(req.url ?? '');
      return m ? { tenantId: decodedOrRaw(m[1]) } : {};
    },
    autoLogging: { ignore: (req) => req.url === '/healthz' || req.url === '/readyz' },
  });
}

/** A path segment decoded, or as received when it is not valid percent-encoding (the route answers 400 for it). */
function decodedOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
