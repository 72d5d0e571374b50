import express, { Request, Response, Router } from 'express';
import { enqueueEmailSchema, historyQuerySchema, IDEMPOTENCY_KEY_PATTERN } from '@mailroom/domain';
import type { EmailRecord } from '@mailroom/domain';
import { InvalidCursorError } from '@mailroom/store';
import type { ApiDeps } from '../api-deps';
import { requireTenantAccess } from '../http/auth';
import { HttpError } from '../http/http-error';
import { parseOr400 } from '../http/validate';
import { cancelEmail } from '../use-cases/cancel-email';
import { toHttpError } from '../use-cases/batch-items';
import { enqueueBatch } from '../use-cases/enqueue-batch';
import { enqueueEmail } from '../use-cases/enqueue-email';
import { retryEmail } from '../use-cases/retry-email';
import { enqueueAnswer, presentEmail, retryAnswer } from './email-views';
import { loadTenant } from './load-tenant';

/** The batch route's path: its body is read by its own parser (BATCH_MAX_BODY_BYTES), after authentication. */
export const BATCH_ENQUEUE_PATH = /^\/v1\/tenants\/[^/]+\/emails\/batch\/?$/i;

/**
 * The batch's body as bytes, up to its own limit (too large names the limit and what to do), inflated
 * as the JSON parser would; a JSON body in another charset than UTF-8 is a 415. It is parsed with the
 * rest of its reading (deps.batchBodies), off the event loop.
 */
function batchBody(limit: number): express.RequestHandler {
  const raw = express.raw({ type: 'application/json', limit });
  return (req, res, next) =>
    raw(req, res, (err?: unknown) => {
      if ((err as { type?: string } | undefined)?.type === 'entity.too.large')
        return next(
          new HttpError(
            413,
            'payload_too_large',
            `the batch body is larger than ${limit} bytes (BATCH_MAX_BODY_BYTES); split it into smaller batches`,
            {
              limitBytes: limit,
            },
          ),
        );
      const charset = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(req.headers['content-type'] ?? '')?.[1];
      if (!err && Buffer.isBuffer(req.body) && charset && !/^utf-?8$/i.test(charset))
        return next(
          new HttpError(415, 'unsupported_encoding', `unsupported charset "${charset.toUpperCase()}": send the batch as UTF-8 JSON`),
        );
      next(err);
    });
}

/** POST /v1/tenants/:tenantId/emails, once the caller may reach the tenant: the email stored and queued, or an HttpError. */
export async function enqueueOne(
  deps: ApiDeps,
  tenantId: string,
  idempotencyKey: string | undefined,
  body: unknown,
): Promise<{ email: EmailRecord; created: boolean }> {
  if (idempotencyKey !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(idempotencyKey))
    throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-200 visible ASCII characters');
  const tenant = await loadTenant(deps, tenantId);
  const input = parseOr400(enqueueEmailSchema, body);
  return enqueueEmail(deps, tenant, input, idempotencyKey);
}

/** The single enqueue's 202 headers besides the body's type. */
export function enqueueHeaders(email: EmailRecord, created: boolean): Record<string, string> {
  return {
    Location: `/v1/tenants/${email.tenantId}/emails/${email.id}`,
    ...(created ? {} : { 'Idempotent-Replayed': 'true' }),
  };
}

export function emailsRoutes(deps: ApiDeps): Router {
  const r = Router();
  const base = '/v1/tenants/:tenantId/emails';

  // Served before Express by enqueue-email.listener.ts; this route answers what that one does not take.
  r.post(base, requireTenantAccess, async (req, res) => {
    const { email, created } = await enqueueOne(deps, req.params.tenantId, req.header('idempotency-key'), req.body);
    res.locals.emailId = email.id;
    res.status(202);
    for (const [name, value] of Object.entries(enqueueHeaders(email, created))) res.setHeader(name, value);
    res.json(enqueueAnswer(email));
  });

  // 207: one result per item, in order (README, "Batch enqueue").
  r.post(
    `${base}/batch`,
    requireTenantAccess,
    batchBody(deps.config.limits.maxBatchBodyBytes),
    async (req: Request<{ tenantId: string }>, res: Response) => {
      const reading = await deps.batchBodies.read(Buffer.isBuffer(req.body) ? req.body : undefined);
      if (reading.kind === 'malformed') throw toHttpError(reading.problem);
      const tenant = await loadTenant(deps, req.params.tenantId);
      if (reading.kind === 'refused') throw toHttpError(reading.problem);
      const outcomes = await enqueueBatch(deps, tenant, reading);
      res.status(207).json({
        results: outcomes.map((o) =>
          'error' in o
            ? {
                index: o.index,
                error: { code: o.error.code, message: o.error.message, ...(o.error.details ? { details: o.error.details } : {}) },
              }
            : { index: o.index, ...enqueueAnswer(o.email), ...(o.created ? {} : { replayed: true }) },
        ),
      });
    },
  );

  r.get(base, requireTenantAccess, async (req, res) => {
    await loadTenant(deps, req.params.tenantId);
    const query = parseOr400(historyQuerySchema, req.query, 'query');
    try {
      const page = await deps.store.emails.list(req.params.tenantId, query);
      res.json({ items: page.items.map(presentEmail), nextCursor: page.nextCursor });
    } catch (e) {
      if (e instanceof InvalidCursorError)
        throw new HttpError(400, 'invalid_cursor', 'cursor: not a cursor this API handed out; start again without it');
      throw e;
    }
  });

  r.get(`${base}/:emailId`, requireTenantAccess, async (req, res) => {
    await loadTenant(deps, req.params.tenantId);
    const email = await deps.store.emails.get(req.params.tenantId, req.params.emailId);
    if (!email) throw new HttpError(404, 'email_not_found', `no email ${req.params.emailId} for tenant ${req.params.tenantId}`);
    res.json(presentEmail(email));
  });

  // 200 with the email as it now is: the cancel is done when this answers (decision 0035).
  r.post(`${base}/:emailId/cancel`, requireTenantAccess, async (req, res) => {
    res.json(presentEmail(await cancelEmail(deps, req.params.tenantId, req.params.emailId)));
  });

  r.post(`${base}/:emailId/retry`, requireTenantAccess, async (req, res) => {
    const email = await retryEmail(deps, req.params.tenantId, req.params.emailId);
    res.status(202).setHeader('Location', `/v1/tenants/${email.tenantId}/emails/${email.id}`);
    res.json(retryAnswer(email));
  });
  return r;
}
