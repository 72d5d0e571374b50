import { z } from 'zod';
import { HttpError, zodToHttpError } from './http-error';

/** A field the schema gave no message of its own: say it is missing rather than zod 4's "expected string, received undefined". */
const clearerDefaults: z.core.$ZodErrorMap = (issue) =>
  issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined;

/** Parses with a zod schema, or throws a 400 naming the first bad field. */
export function parseOr400<T>(schema: z.ZodType<T>, value: unknown, where = 'body'): T {
  if (where === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    const message = 'the body must be a JSON object (Content-Type: application/json)';
    throw new HttpError(400, 'invalid_request', `${where}: ${message}`, [{ field: where, message }]);
  }
  const r = schema.safeParse(value, { error: clearerDefaults });
  if (!r.success) throw zodToHttpError(r.error, where);
  return r.data;
}
