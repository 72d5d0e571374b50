import { z } from 'zod';
import { HttpError, zodToHttpError } from './http-error';

/**
 * What a check says when the schema gave it no message of its own, in the words of the messages it did
 * give: a missing field "is required" rather than zod 4's "expected string, received undefined", and a
 * size out of bounds "must be at most 200" rather than "Too big: expected number to be <=200", and a
 * field the object does not take named with the ones it does. The field is named before it in the
 * answer (`limit: must be at most 200`).
 */
const clearerDefaults: z.core.$ZodErrorMap = (issue) => {
  if (issue.code === 'invalid_type') return issue.input === undefined ? 'is required' : undefined;
  if (issue.code === 'too_small') return tooSmall(issue.origin, Number(issue.minimum), issue.inclusive !== false);
  if (issue.code === 'too_big') return tooBig(issue.origin, Number(issue.maximum), issue.inclusive !== false);
  if (issue.code === 'unrecognized_keys') return unknownFields(issue.keys, issue.inst);
  return undefined;
};

/** `unknown field "user": the fields here are host, port, username, ...`: what to send instead, not only what was wrong. */
function unknownFields(keys: string[], inst: unknown): string {
  const named = keys.map((k) => JSON.stringify(k)).join(', ');
  const shape = (inst as { _zod?: { def?: { shape?: Record<string, unknown> } } } | undefined)?._zod?.def?.shape;
  const known = shape ? Object.keys(shape) : [];
  return `unknown ${keys.length === 1 ? 'field' : 'fields'} ${named}${known.length ? `: the fields here are ${known.join(', ')}` : ''}`;
}

function tooSmall(origin: string, minimum: number, inclusive: boolean): string | undefined {
  if (origin === 'string') return minimum <= 1 ? 'must not be empty' : `must be at least ${minimum} characters`;
  if (origin === 'array' || origin === 'set') return `needs at least ${minimum} ${minimum === 1 ? 'item' : 'items'}`;
  if (origin === 'number' || origin === 'int' || origin === 'bigint')
    return inclusive ? `must be at least ${minimum}` : `must be more than ${minimum}`;
  return undefined;
}

function tooBig(origin: string, maximum: number, inclusive: boolean): string | undefined {
  if (origin === 'string') return `must be at most ${maximum} characters`;
  if (origin === 'array' || origin === 'set') return `takes at most ${maximum} ${maximum === 1 ? 'item' : 'items'}`;
  if (origin === 'number' || origin === 'int' || origin === 'bigint')
    return inclusive ? `must be at most ${maximum}` : `must be less than ${maximum}`;
  return undefined;
}

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
