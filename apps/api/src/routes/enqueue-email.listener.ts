import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { ApiDeps } from '../api-deps';
import { jsonBody } from '../build-app';
import { authDepsOf, authenticateHeader, AuthDeps, tenantAccessError } from '../http/auth';
import { errorAnswer } from '../http/http-error';
import { requestLineWatcher } from '../http/request-log';
import { enqueueAnswer } from './email-views';
import { enqueueHeaders, enqueueOne } from './emails.routes';

/** POST /v1/tenants/:tenantId/emails, matched as Express matches it (any case, an optional trailing slash). */
const ROUTE = /^\/v1\/tenants\/([^/]+)\/emails\/?$/i;

/**
 * POST /v1/tenants/:tenantId/emails, served in front of the Express app (as GET /metrics is, and as the
 * webhooks app serves providers' posts, decision 0041): the platform's single enqueue is the API's
 * busiest route, and serving it without Express's routing through every router, its request and
 * response wrappers and `res.json` took its CPU per request from 1.14 to 0.81 ms (decision 0048). The same steps in Express's order, with the
 * same code: the request line (request-log.ts), the JSON body by the same body-parser settings
 * (jsonBody), authentication and the tenant fence (auth.ts), then enqueueOne (the Express route's
 * own), and every error answered by errorAnswer as Express's error handler answers it. A path
 * segment that is not valid percent-encoding goes to Express untouched, which answers it.
 */
export function enqueueEmailListener(deps: ApiDeps, next: RequestListener): RequestListener {
  const json = jsonBody(deps.config);
  const watch = requestLineWatcher(deps.logger);
  const auth = authDepsOf(deps);
  return (req, res) => {
    if (req.method !== 'POST') return next(req, res);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const match = ROUTE.exec(path);
    if (!match) return next(req, res);
    const tenantId = decodeSegment(match[1]);
    if (tenantId === undefined) return next(req, res);
    const answered: { emailId?: string } = {};
    watch('POST', url, res, () => answered);
    const parse = json as unknown as (req: IncomingMessage, res: ServerResponse, done: (err?: unknown) => void) => void;
    parse(req, res, (err) => void serve(deps, auth, req, res, { tenantId, path, parseError: err, answered }));
  };
}

interface Enqueue {
  tenantId: string;
  path: string;
  parseError: unknown;
  /** Where the request line finds the email's id. */
  answered: { emailId?: string };
}

async function serve(deps: ApiDeps, auth: AuthDeps, req: IncomingMessage, res: ServerResponse, e: Enqueue): Promise<void> {
  const headers: Record<string, string> = {};
  let status: number;
  let body: unknown;
  try {
    if (e.parseError) throw e.parseError;
    const who = authenticateHeader(req.headers.authorization, auth);
    if ('error' in who) {
      headers['WWW-Authenticate'] = who.wwwAuthenticate;
      throw who.error;
    }
    const denied = tenantAccessError(who.principal, e.tenantId);
    if (denied) throw denied;
    const key = req.headers['idempotency-key'];
    const { email, created } = await enqueueOne(deps, e.tenantId, Array.isArray(key) ? key[0] : key, (req as { body?: unknown }).body);
    e.answered.emailId = email.id;
    status = 202;
    Object.assign(headers, enqueueHeaders(email, created));
    body = enqueueAnswer(email);
  } catch (err) {
    let errorHeaders: Record<string, string>;
    ({ status, headers: errorHeaders, body } = errorAnswer(err, deps.logger, e.path, req.headers['content-encoding']));
    Object.assign(headers, errorHeaders);
  }
  if (res.headersSent || res.destroyed) return;
  const text = JSON.stringify(body);
  // One write: the headers and this short body go out together.
  res.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
  });
  res.end(text);
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}
