import { enqueueEmailSchema, historyQuerySchema } from '@mailroom/domain';
import { z } from 'zod';
import { HttpError } from './http-error';
import { parseOr400 } from './validate';

/** The 400 that parseOr400 throws for `value`: its message and its first detail. */
function refusal(schema: z.ZodType, value: unknown, where?: string): { message: string; field: string } {
  try {
    parseOr400(schema, value, where);
  } catch (e) {
    expect(e).toBeInstanceOf(HttpError);
    const err = e as HttpError & { details: { field: string; message: string }[] };
    expect(err.status).toBe(400);
    return { message: err.message, field: err.details[0].field };
  }
  throw new Error('parseOr400 accepted the value');
}

const email = { to: ['client@customer.example'], subject: 'Invoice F-1', text: 'Attached.' };

describe('parseOr400', () => {
  it('says a size out of bounds in plain words where the schema gave the check no message of its own', () => {
    expect(refusal(historyQuerySchema, { limit: '0' }, 'query')).toEqual({ field: 'limit', message: 'limit: must be at least 1' });
    expect(refusal(historyQuerySchema, { limit: '1000' }, 'query')).toEqual({ field: 'limit', message: 'limit: must be at most 200' });
    expect(refusal(historyQuerySchema, { cursor: 'c'.repeat(201) }, 'query').message).toBe('cursor: must be at most 200 characters');
    expect(refusal(enqueueEmailSchema, { ...email, document: { type: 'invoice', id: ' ' } }).message).toBe(
      'document.id: must not be empty',
    );
    expect(refusal(enqueueEmailSchema, { ...email, document: { type: 'invoice', id: 'F'.repeat(129) } }).message).toBe(
      'document.id: must be at most 128 characters',
    );
    expect(refusal(z.object({ tags: z.array(z.string()).min(2).max(3) }), { tags: ['a'] }).message).toBe('tags: needs at least 2 items');
    expect(refusal(z.object({ tags: z.array(z.string()).max(1) }), { tags: ['a', 'b'] }).message).toBe('tags: takes at most 1 item');
    expect(refusal(z.object({ n: z.number().gt(0).lt(10) }), { n: 0 }).message).toBe('n: must be more than 0');
    expect(refusal(z.object({ n: z.number().gt(0).lt(10) }), { n: 10 }).message).toBe('n: must be less than 10');
  });

  it('names a field the object does not take, and the fields it does', () => {
    const smtp = z.strictObject({ host: z.string(), port: z.number(), username: z.string().optional() });
    expect(refusal(z.object({ smtp }), { smtp: { host: 'h', port: 587, user: 'u' } })).toEqual({
      field: 'smtp',
      message: 'smtp: unknown field "user": the fields here are host, port, username',
    });
    expect(refusal(smtp, { host: 'h', port: 587, user: 'u', pass: 'p' }).message).toBe(
      'body: unknown fields "user", "pass": the fields here are host, port, username',
    );
  });

  it("keeps the schema's own messages, and says a missing field is required", () => {
    expect(refusal(enqueueEmailSchema, { ...email, to: [] }).message).toBe('to: to needs at least one recipient');
    expect(refusal(enqueueEmailSchema, { to: email.to, text: 'x' }).message).toMatch(/^subject: /);
    expect(refusal(z.object({ name: z.string() }), {}).message).toBe('name: is required');
  });

  it('answers a body that is not a JSON object before any field', () => {
    expect(refusal(enqueueEmailSchema, [email])).toEqual({
      field: 'body',
      message: 'body: the body must be a JSON object (Content-Type: application/json)',
    });
  });
});
