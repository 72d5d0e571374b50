import type { ServerResponse } from 'node:http';
import type { RequestHandler, Response } from 'express';
import type { Logger } from 'pino';

/**
 * One line per request: method, path (no query string: it can carry cursors and filters, not
 * secrets, but keep lines short), status, time, the tenant the route names, and the email a route
 * created or acted on when it says so (`res.locals.emailId`). Headers are not logged at all, so no
 * Authorization can leak. One logger call per request and no child logger per request (pino-http built
 * four per request: a tenth of the single enqueue's CPU under load); a request the client abandoned
 * before the answer was sent is logged as aborted.
 *
 * The line goes through a child made once without the redact paths (decision 0045): its shape is fixed
 * here, and none of its keys (req.method, req.path, res.status, responseTime, tenantId, emailId) is a
 * key REDACT_PATHS names, so redaction left it unchanged while pino's redactor re-parsed its 28 paths
 * at every call (about 35 µs a line, a few percent of an enqueue). Every other line keeps the redaction.
 */
export function requestLog(parent: Logger): RequestHandler {
  const watch = requestLineWatcher(parent);
  return (req, res, next) => {
    if (req.url === '/healthz' || req.url === '/readyz') return next();
    watch(req.method, req.originalUrl, res, () => emailOf(res));
    next();
  };
}

/**
 * The request line without a web framework: `watch(method, url, res, email)` logs it when `res`
 * finishes (or is abandoned). Express's middleware above and the single enqueue served before Express
 * (enqueue-email.listener.ts) write the same line.
 */
export function requestLineWatcher(parent: Logger) {
  const logger = parent.child({}, { redact: [] });
  return (method: string, url: string, res: ServerResponse, email: () => { emailId?: string }): void => {
    const started = performance.now();
    const line = (msg: 'request completed' | 'request aborted') => {
      const status = res.statusCode;
      const level = status >= 500 ? 'error' : status >= 400 || msg === 'request aborted' ? 'warn' : 'info';
      if (!logger.isLevelEnabled(level)) return;
      const tenant = /^\/v1\/tenants\/([^/?]+)/.exec(url);
      logger[level](
        {
          req: { method, path: url.split('?')[0] },
          res: { status },
          responseTime: Math.round(performance.now() - started),
          ...(tenant ? { tenantId: decodedOrRaw(tenant[1]) } : {}),
          ...email(),
        },
        msg,
      );
    };
    res.once('finish', () => line('request completed'));
    res.once('close', () => {
      if (!res.writableFinished) line('request aborted');
    });
  };
}

function emailOf(res: Response): { emailId?: string } {
  const id: unknown = res.locals.emailId;
  return typeof id === 'string' ? { emailId: id } : {};
}

/** A path segment decoded, or as received when it is not valid percent-encoding (the route answers 400 for it). */
function decodedOrRaw(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}
