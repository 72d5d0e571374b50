import fc from 'fast-check';
import MailComposer from 'nodemailer/lib/mail-composer';
import { randomBytes } from 'node:crypto';
import type { Address } from '@mailroom/domain';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import type { OutgoingMessage } from '../transport';
import { serializeMimeTree } from './serialize-mime-tree';
import { toNodemailerMessage } from './to-nodemailer-message';

/** The message as nodemailer composes it, once: the same tree serves both serializations (its Date and boundaries are set on it). */
function compiled(message: OutgoingMessage) {
  return new MailComposer(toNodemailerMessage(message)).compile();
}

async function bothWays(message: OutgoingMessage) {
  const root = compiled(message);
  const ours = serializeMimeTree(root);
  const theirs = await root.build();
  return { ours, theirs };
}

// Text that exercises nodemailer's choices: 7bit, quoted-printable (long lines, trailing blanks, '='),
// base64 (mostly non-Latin), bare CR and LF, and the empty string.
const textPiece = fc.oneof(
  fc.constantFrom(
    '',
    'a',
    ' ',
    '\t',
    '=',
    '.',
    '\r',
    '\n',
    '\r\n',
    'ñ',
    'é',
    '€',
    '日本',
    '😀',
    'x'.repeat(80),
    ' '.repeat(100),
    ' \t ',
    'Factura F-2024/0042 ',
  ),
  fc.string({ maxLength: 20 }),
);
const text = fc.array(textPiece, { maxLength: 40 }).map((pieces) => pieces.join(''));
const name = fc.oneof(
  fc.constant(undefined),
  fc.constantFrom('Cliente Uno', 'Acme Facturación, S.L.', 'O"Brien, Ann', '山田 太郎', 'x'.repeat(90)),
);
const address = (local: string) =>
  fc
    .record({ email: fc.constantFrom(`${local}@example.test`, `${local}.b@ejemplo.es`), name })
    .map(({ email, name: n }): Address => (n ? { email, name: n } : { email }));
const attachment = fc.record({
  filename: fc.constantFrom('F-2024-0042.pdf', 'factura ñ.pdf', 'notes.txt', 'a'.repeat(100) + '.pdf'),
  contentType: fc.constantFrom('application/pdf', 'text/plain', 'application/octet-stream', 'image/png'),
  size: fc.oneof(fc.integer({ min: 0, max: 200 }), fc.integer({ min: 200, max: 70_000 })),
});

const message = fc.record({
  subject: text,
  text: fc.option(text, { nil: undefined }),
  html: fc.option(
    text.map((t) => `<p>${t}</p>`),
    { nil: undefined },
  ),
  to: fc.array(address('to'), { minLength: 1, maxLength: 3 }),
  cc: fc.array(address('cc'), { maxLength: 2 }),
  bcc: fc.array(address('bcc'), { maxLength: 2 }),
  replyTo: fc.option(address('reply'), { nil: undefined }),
  from: address('from'),
  attachments: fc.array(attachment, { maxLength: 3 }),
  header: fc.option(text, { nil: undefined }),
});

describe('serializeMimeTree', () => {
  it("writes exactly nodemailer's bytes for an invoice (text, HTML, a PDF)", async () => {
    const { ours, theirs } = await bothWays(acmeInvoice());
    expect(ours).toBeDefined();
    expect(ours!.equals(theirs)).toBe(true);
    expect(theirs.toString('latin1')).toContain('Content-Type: application/pdf');
  });

  it("writes exactly nodemailer's bytes for random messages (encodings, line breaks, names, sizes across its 64 KB slices)", async () => {
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const { ours, theirs } = await bothWays(
          acmeInvoice({
            ...m,
            headers: { 'X-Mailroom-Email-Id': 'em_01', ...(m.header !== undefined ? { 'X-Note': m.header } : {}) },
            attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: randomBytes(a.size) })),
          }),
        );
        expect(ours).toBeDefined();
        expect(ours!.toString('latin1')).toBe(theirs.toString('latin1'));
      }),
      { numRuns: 500 },
    );
  });

  it("writes quoted-printable text up to nodemailer's 64 KB slice exactly as it does, and leaves a longer one to it", async () => {
    // Lines over 76 characters make nodemailer pick quoted-printable; blanks and '=' where the lines end.
    const lines = Array.from({ length: 2_000 }, (_, i) => `línea ${i} `.padEnd(90, 'x') + (i % 7 === 0 ? ' \t' : '='));
    const upTo = (bytes: number) => {
      let body = '';
      for (const line of lines) if (Buffer.byteLength(body + line + '\n') <= bytes) body += line + '\n';
      return body.padEnd(body.length + bytes - Buffer.byteLength(body), ' ');
    };
    for (const body of [upTo(64 * 1024), upTo(64 * 1024 - 1), upTo(30_000), upTo(30_000).trimEnd() + '=', ' \t '.repeat(40), ' ']) {
      expect(Buffer.byteLength(body)).toBeLessThanOrEqual(64 * 1024);
      const { ours, theirs } = await bothWays(acmeInvoice({ text: body, html: undefined }));
      expect(ours!.toString('latin1')).toBe(theirs.toString('latin1'));
    }
    expect(serializeMimeTree(compiled(acmeInvoice({ text: upTo(64 * 1024 + 1) })))).toBeUndefined();
  });

  it('ends a single-part message with a line break, as nodemailer does', async () => {
    for (const body of ['Adjuntamos la factura.', 'ends with CR\r', 'ends with LF\n', '']) {
      const { ours, theirs } = await bothWays(acmeInvoice({ text: body, html: undefined, attachments: [] }));
      expect(ours!.toString('latin1')).toBe(theirs.toString('latin1'));
      expect(ours!.subarray(-1).toString()).toBe('\n');
    }
  });

  it('leaves to nodemailer a tree it does not serialize (content that is not in memory)', () => {
    const root = compiled(acmeInvoice());
    const pdf = root.childNodes[1];
    pdf.content = { path: '/etc/hostname' };
    expect(serializeMimeTree(root)).toBeUndefined();
  });
});
