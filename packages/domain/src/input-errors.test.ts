import { z } from 'zod';
import { enqueueEmailSchema } from './enqueue-input';
import { historyQuerySchema } from './history-query';
import { tenantInputSchema } from './plans';
import { suppressionInputSchema } from './suppression';

/** The first issue as the API shows it: `field: message`. */
function firstIssue(schema: z.ZodType, value: unknown): string {
  const r = schema.safeParse(value);
  if (r.success) throw new Error('expected the value to be refused');
  const issue = r.error.issues[0];
  return `${issue.path.join('.')}: ${issue.message}`;
}

const email = { to: ['client@example.test'], subject: 'Invoice F-1', text: 'attached' };

describe('input messages under zod 4', () => {
  it('says a missing field is required and a wrong type what it must be', () => {
    expect(firstIssue(enqueueEmailSchema, { to: email.to, text: 't' })).toBe('subject: subject is required');
    expect(firstIssue(enqueueEmailSchema, { ...email, subject: 42 })).toBe('subject: subject must be a string');
    expect(firstIssue(enqueueEmailSchema, { ...email, to: 'a@b.test' })).toBe('to: to must be an array of addresses');
    expect(firstIssue(tenantInputSchema, { plan: 'free' })).toBe('name: name is required');
    expect(firstIssue(enqueueEmailSchema, { ...email, attachments: [{ filename: 'a.pdf' }] })).toBe(
      'attachments.0.content: content (base64) is required',
    );
  });

  it('says an empty (or blank) tenant name must not be empty, a missing one is required', () => {
    expect(firstIssue(tenantInputSchema, { name: '', plan: 'free' })).toBe('name: name must not be empty');
    expect(firstIssue(tenantInputSchema, { name: '   ', plan: 'free' })).toBe('name: name must not be empty');
  });

  it('refuses an email whose only body is an empty or blank text (or html)', () => {
    const { text: _text, ...noBody } = email;
    for (const body of [{ text: '' }, { text: ' \n ' }, { html: '' }, { text: '', html: '  ' }])
      expect(firstIssue(enqueueEmailSchema, { ...noBody, ...body })).toBe(
        'text: text or html is required, and must not be empty or only white space',
      );
    expect(enqueueEmailSchema.safeParse({ ...noBody, text: '', html: '<p>Hi</p>' }).success).toBe(true);
  });

  it('names a suppression reason that cannot be added by hand once, without repeating the field', () => {
    expect(firstIssue(suppressionInputSchema, { address: 'a@b.test', reason: 'hard_bounce' })).toBe(
      'reason: only "manual" entries are added by hand',
    );
  });

  it('leaves the limits their own words instead of the type message', () => {
    expect(firstIssue(tenantInputSchema, { name: 'x'.repeat(201), plan: 'free' })).toMatch(/^name: .*200/);
    expect(firstIssue(historyQuerySchema, { limit: '500' })).toMatch(/^limit: .*200/);
    expect(firstIssue(enqueueEmailSchema, { ...email, to: [{ email: 'a@b.test', nickname: 'A' }] })).toMatch(/^to\.0: .*nickname/);
  });

  it('names what metadata values may be, and refuses a record of objects', () => {
    expect(firstIssue(enqueueEmailSchema, { ...email, metadata: { order: { id: 1 } } })).toBe(
      'metadata.order: a metadata value is a string, a number, true, false or null',
    );
    expect(enqueueEmailSchema.parse({ ...email, metadata: { order: 'A-1', paid: true, total: 12.5, note: null } }).metadata).toEqual({
      order: 'A-1',
      paid: true,
      total: 12.5,
      note: null,
    });
  });

  it('trims an address before checking it, and lower-cases it', () => {
    expect(enqueueEmailSchema.parse({ ...email, to: ['  Client@Example.TEST '] }).to).toEqual([{ email: 'client@example.test' }]);
    expect(firstIssue(enqueueEmailSchema, { ...email, to: ['not-an-address'] })).toBe('to.0.email: is not a valid email address');
  });

  it('takes ISO 8601 date-times with an offset in the history query', () => {
    expect(historyQuerySchema.parse({ since: '2026-01-05T10:00:00+01:00' }).since).toBe('2026-01-05T10:00:00+01:00');
    expect(firstIssue(historyQuerySchema, { since: 'yesterday' })).toBe('since: since must be an ISO 8601 date-time');
  });
});
