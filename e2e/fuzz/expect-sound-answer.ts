import type { RawRequest, RawResponse } from './raw-http';

/** 400 codes the API answers, and how each names what is wrong: a field, or the header or part of the request. */
const NAMES_WHAT: Record<string, (r: { message: string; details?: { field?: unknown }[] }) => boolean> = {
  invalid_request: (e) =>
    Array.isArray(e.details) &&
    e.details.length > 0 &&
    e.details.every((d) => typeof d.field === 'string' && d.field.length > 0) &&
    e.message.startsWith(`${String(e.details[0].field)}:`),
  malformed_json: (e) => /body/.test(e.message) && /JSON/.test(e.message),
  malformed_url: (e) => /path|URL|parameter/i.test(e.message),
  bad_request: (e) => e.message.length > 0,
  invalid_idempotency_key: (e) => /Idempotency-Key/.test(e.message),
  invalid_cursor: (e) => /^cursor:/.test(e.message),
  smtp_host_not_allowed: (e) => /^smtp\.host:/.test(e.message),
  smtp_host_unresolvable: (e) => /^smtp\.host:/.test(e.message),
};

/**
 * What every answer to a fuzzed request must be: never a 5xx, and an error in the API's own shape
 * `{ error: { code, message, details? } }` whose 400s name the field (or the header, or the body).
 * Answers that never reached the app (Node's HTTP parser refusing the bytes) carry no body.
 */
export function soundnessProblem(req: RawRequest, res: RawResponse, options: { jsonErrors: boolean }): string | undefined {
  if (res.status >= 500) return `answered ${res.status}: ${res.body.toString('utf8').slice(0, 300)}`;
  if (res.status === 207) return batchResultsProblem(res.json);
  if (res.status < 400 || !options.jsonErrors) return undefined;
  const fromParser = res.headers['content-type'] === undefined && res.body.length === 0;
  if (fromParser) return [400, 413, 414, 431].includes(res.status) ? undefined : `bare ${res.status} without a body`;
  const e = res.json?.error;
  if (typeof e?.code !== 'string' || typeof e?.message !== 'string')
    return `a ${res.status} not in the error shape: ${res.body.toString('utf8').slice(0, 300)}`;
  if (res.status === 400) {
    const names = NAMES_WHAT[e.code];
    if (!names) return `400 with an unknown code ${e.code}: ${e.message}`;
    if (!names(e)) return `400 ${e.code} does not name what is wrong: ${JSON.stringify(e).slice(0, 300)}`;
  }
  void req;
  return undefined;
}

/** A batch's 207: one result per item, at its index, each an email (id and status) or an error in the API's shape. */
function batchResultsProblem(json: unknown): string | undefined {
  const results = (json as { results?: unknown } | undefined)?.results;
  if (!Array.isArray(results) || results.length === 0) return `a 207 without results: ${JSON.stringify(json)?.slice(0, 300)}`;
  const bad = results.findIndex(
    (r: { index?: unknown; id?: unknown; status?: unknown; error?: { code?: unknown; message?: unknown } }, i) =>
      r?.index !== i
        ? true
        : r.error
          ? typeof r.error.code !== 'string' || typeof r.error.message !== 'string'
          : typeof r.id !== 'string' || typeof r.status !== 'string',
  );
  return bad === -1 ? undefined : `207 result ${bad} is neither an email nor an error: ${JSON.stringify(results[bad]).slice(0, 300)}`;
}
