import { ZodError, ZodType, ZodTypeDef } from 'zod';
import { zodToHttpError } from './http-error';

/** Parses with a zod schema, or throws a 400 naming the first bad field. */
export function parseOr400<T>(schema: ZodType<T, ZodTypeDef, unknown>, value: unknown, where = 'body'): T {
  if (where === 'body' && (value === null || typeof value !== 'object' || Array.isArray(value))) {
    throw zodToHttpError(new ZodError([{ code: 'custom', path: [], message: 'the body must be a JSON object (Content-Type: application/json)' }]), where);
  }
  const r = schema.safeParse(value);
  if (!r.success) throw zodToHttpError(r.error, where);
  return r.data;
}
