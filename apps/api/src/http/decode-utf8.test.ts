import fc from 'fast-check';
import { decodeUtf8 } from './decode-utf8';

describe('decodeUtf8: the string Buffer#toString("utf8") gives, taken in pieces', () => {
  it("is the same string for any text, whatever the piece size (characters of 1 to 4 bytes across the pieces' ends)", () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), fc.integer({ min: 2, max: 16 }), (text, piece) => {
        const bytes = Buffer.from(text, 'utf8');
        expect(decodeUtf8(bytes, piece)).toBe(bytes.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('is the same string for text in the Latin-1 range (the path that rewrites the body as Latin-1 bytes)', () => {
    const latin1Text = fc.array(fc.oneof(fc.integer({ min: 0x20, max: 0x7e }), fc.integer({ min: 0x80, max: 0xff })), { maxLength: 300 });
    fc.assert(
      fc.property(latin1Text, fc.integer({ min: 2, max: 16 }), (codes, piece) => {
        const bytes = Buffer.from(String.fromCharCode(...codes), 'utf8');
        expect(decodeUtf8(bytes, piece)).toBe(bytes.toString('utf8'));
      }),
      { numRuns: 2000 },
    );
  });

  it('is the same string for any bytes, invalid UTF-8 included (each bad sequence one U+FFFD, as the decoder makes it)', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.integer({ min: 2, max: 16 }), (bytes, piece) => {
        expect(decodeUtf8(bytes, piece)).toBe(Buffer.from(bytes).toString('utf8'));
      }),
      { numRuns: 3000 },
    );
  });

  it('takes a body of ASCII with a few accented names as the decoder does, with the default pieces', () => {
    const items = Array.from({ length: 50 }, (_, i) => ({
      to: [{ email: `c${i}@x.example`, name: 'Peña Ñúñez 😀' }],
      content: 'QUJD'.repeat(3000),
    }));
    const bytes = Buffer.from(JSON.stringify({ items }));
    expect(decodeUtf8(bytes)).toBe(bytes.toString('utf8'));
    expect(decodeUtf8(new Uint8Array(bytes))).toBe(bytes.toString('utf8'));
  });
});
