import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { enqueueEmailSchema, isBase64 } from './enqueue-input';
import { historyQuerySchema } from './history-query';

/** The rule as it was written before the round-trip fast path (decision 0045): the same strings must pass. */
const BASE64_RULE = /^[A-Za-z0-9+/\r\n]*={0,2}$/;

describe('isBase64: an attachment content as the API takes it', () => {
  it('takes what an encoder writes, with or without padding, and with line breaks', () => {
    for (const n of [0, 1, 2, 3, 4, 5, 30 * 1024]) expect(isBase64(randomBytes(n).toString('base64'))).toBe(true);
    expect(isBase64('QQ')).toBe(true); // unpadded
    expect(isBase64('QUJD\r\nREVG\nR0g=')).toBe(true); // wrapped lines (MIME style)
  });

  it('refuses characters outside the alphabet, base64url, and padding anywhere but the end', () => {
    for (const bad of ['QUJD-_', 'QU JD', 'QQ==QQ==', 'QQ===', 'é', '%PDF-1.4']) expect(isBase64(bad)).toBe(false);
  });

  it('agrees with the rule it replaces on any string made of base64-ish characters', () => {
    const chars = fc.constantFrom(...'ABCxyz019+/=-_ \r\n.é'.split(''));
    fc.assert(
      fc.property(fc.array(chars, { maxLength: 24 }), (cs) => isBase64(cs.join('')) === BASE64_RULE.test(cs.join(''))),
      {
        numRuns: 5000,
      },
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 64 }), (bytes) => isBase64(Buffer.from(bytes).toString('base64'))));
  });

  it('is the schema’s rule for attachments', () => {
    const email = { to: ['client@example.test'], subject: 'Invoice', text: 'attached' };
    const withContent = (content: string) => ({ ...email, attachments: [{ filename: 'f.pdf', content }] });
    expect(enqueueEmailSchema.safeParse(withContent(randomBytes(90).toString('base64'))).success).toBe(true);
    const refused = enqueueEmailSchema.safeParse(withContent('not base64!'));
    expect(refused.success).toBe(false);
    expect(refused.error?.issues.map((i) => `${i.path.join('.')}: ${i.message}`)).toEqual([
      'attachments.0.content: content must be base64',
    ]);
  });
});

describe('document.type: one spelling, whatever the case', () => {
  const email = { to: ['client@example.test'], subject: 'Invoice', text: 'attached' };

  it('is stored in lower case, and the history filter lowers its value the same way', () => {
    const parsed = enqueueEmailSchema.parse({ ...email, document: { type: 'Invoice', id: 'inv_1' } });
    expect(parsed.document?.type).toBe('invoice');
    expect(historyQuerySchema.parse({ documentType: 'Invoice' }).documentType).toBe('invoice');
    expect(historyQuerySchema.parse({ documentType: 'invoice' }).documentType).toBe('invoice');
  });

  it('still refuses what is not a word', () => {
    const refused = enqueueEmailSchema.safeParse({ ...email, document: { type: 'in voice', id: 'inv_1' } });
    expect(refused.error?.issues.map((i) => i.message)).toEqual(['document.type is a word such as invoice, quote or order']);
  });
});
