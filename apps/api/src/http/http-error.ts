import type { ErrorRequestHandler, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { z, ZodError } from 'zod';

/** An answer to the caller: status, a stable code, and a message that says what to fix. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

/** A field the request got wrong: `details` of a 400 (`provider.region`, `query`, `body`...). */
export const fieldIssueSchema = z.strictObject({ field: z.string(), message: z.string() });

/**
 * Every error answer's body (errorHandler below): a stable `code` for programs, a `message` that says
 * what to fix, and `details`: the fields at fault (400), or the facts behind a refusal (`{ status }` of
 * a 409, the wait of a 429).
 */
export const errorBodySchema = z.strictObject({
  error: z.strictObject({
    code: z.string(),
    message: z.string(),
    details: z.union([z.array(fieldIssueSchema), z.record(z.string(), z.unknown())]).optional(),
  }),
});
export type ErrorBody = z.input<typeof errorBodySchema>;

export function zodToHttpError(e: ZodError, where = 'body'): HttpError {
  const details = e.issues.map((i) => ({ field: i.path.join('.') || where, message: i.message }));
  const first = details[0];
  return new HttpError(400, 'invalid_request', `${first.field}: ${first.message}`, details);
}

export const notFound: RequestHandler = (req, _res, next) => next(new HttpError(404, 'not_found', `no route ${req.method} ${req.path}`));

/** Every error leaves as `{ error: { code, message, details? } }`; only the unexpected ones are 500 and logged as errors. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (err, req, res, _next) => {
    const { status, headers, body } = errorAnswer(err, logger, req.path, req.headers['content-encoding']);
    res.status(status).set(headers).json(body);
  };
}

/**
 * The answer to an error, without any web framework: errorHandler above, and the single enqueue served
 * before Express (enqueue-email.listener.ts), answer the same thing for the same error. A wait in
 * `details.retryAfterSeconds` (a 429, a request still in progress) is the Retry-After header too.
 */
export function errorAnswer(
  err: unknown,
  logger: Logger,
  path: string,
  contentEncoding: string | undefined,
): { status: number; headers: Record<string, string>; body: ErrorBody } {
  const e = toHttpError(err, logger, path, contentEncoding);
  const wait = (e.details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  return {
    status: e.status,
    headers: typeof wait === 'number' ? { 'Retry-After': String(wait) } : {},
    body: { error: { code: e.code, message: e.message, ...(e.details ? { details: e.details as ErrorBody['error']['details'] } : {}) } },
  };
}

function toHttpError(err: unknown, logger: Logger, path: string, contentEncoding: string | undefined): HttpError {
  const x = err as { type?: string; message?: string; limit?: number } | undefined;
  if (err instanceof HttpError) return err;
  if (err instanceof ZodError) return zodToHttpError(err);
  if (x?.type === 'entity.parse.failed') return new HttpError(400, 'malformed_json', `the body is not valid JSON: ${x.message}`);
  if (x?.type === 'entity.too.large')
    return new HttpError(
      413,
      'payload_too_large',
      `the body is larger than ${x.limit} bytes, the limit that MAX_ATTACHMENT_BYTES sets (its attachments in base64, plus 1 MB): send smaller or fewer attachments, or ask the operator to raise MAX_ATTACHMENT_BYTES`,
      { limitBytes: x.limit },
    );
  if (x?.type === 'encoding.unsupported' || x?.type === 'charset.unsupported')
    return new HttpError(415, 'unsupported_encoding', x.message ?? '');
  // The router could not percent-decode a path parameter (`/v1/tenants/%E0%A4%A`).
  if (err instanceof URIError && (err as URIError & { status?: number }).status === 400)
    return new HttpError(400, 'malformed_url', `the URL path is not valid percent-encoded UTF-8: ${err.message}`);
  // Any other client error the HTTP layer raised (http-errors with a 4xx status): a body that does
  // not decode under its Content-Encoding, a body shorter than its Content-Length...
  if (isClientError(err)) return new HttpError(err.status, 'bad_request', readingProblem(err, contentEncoding));
  logger.error({ err, path }, 'unhandled error');
  return new HttpError(500, 'internal', 'something went wrong on our side; it has been logged');
}

interface ClientError {
  status: number;
  message: string;
  code?: unknown;
}

function isClientError(err: unknown): err is ClientError {
  const e = err as { status?: unknown; expose?: unknown } | null;
  return typeof e?.status === 'number' && e.status >= 400 && e.status < 500 && e.expose !== false;
}

function readingProblem(err: ClientError, contentEncoding: string | undefined): string {
  // zlib's codes (Z_DATA_ERROR, Z_BUF_ERROR): the bytes are not what Content-Encoding says.
  if (typeof err.code === 'string' && err.code.startsWith('Z_'))
    return `the body could not be decoded as Content-Encoding ${contentEncoding ?? '(none)'}: ${err.message}`;
  return `the request body could not be read: ${err.message}`;
}
