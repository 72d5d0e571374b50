import fc from 'fast-check';
import type { SendMailOptions } from 'nodemailer';
import MailComposer from 'nodemailer/lib/mail-composer';
import type MimeNode from 'nodemailer/lib/mime-node';
import { randomBytes } from 'node:crypto';
import type { Address } from '@mailroom/domain';
import { acmeInvoice } from '../../test/outgoing-message.fixture';
import { composeMimeTree } from './compose-mime-tree';
import { serializeMimeTree } from './serialize-mime-tree';
import { toNodemailerMessage } from './to-nodemailer-message';

const BASE = '0123456789abcdef';
const DATE = new Date('2026-12-02T09:00:00Z');

/** Both trees with the same boundary base and Date, as nodemailer streams them. */
async function bothWays(mail: SendMailOptions) {
  const ours = composeMimeTree(mail, BASE);
  const theirs = new MailComposer({ ...mail, baseBoundary: BASE }).compile();
  for (const root of [ours, theirs]) if (root) root.date = DATE;
  return { ours: ours && (await ours.build()), theirs: await theirs.build(), tree: ours };
}

const text = fc.oneof(
  fc.constantFrom(undefined, '', 'Adjuntamos la factura.', 'ñ€😀 '.repeat(30), `${'x'.repeat(90)}\n`.repeat(3)),
  fc.string({ maxLength: 40 }),
);
const name = fc.constantFrom(undefined, 'Cliente Uno', 'Acme Facturación, S.L.', 'O"Brien, Ann', '山田 太郎');
const address = (local: string) =>
  name.map((n): Address => (n ? { email: `${local}@example.test`, name: n } : { email: `${local}@example.test` }));
const attachment = fc.record({
  filename: fc.constantFrom('F-2024-0042.pdf', 'factura ñ.pdf', 'notes.txt', 'logo.png', 'sin extensión'),
  contentType: fc.constantFrom('application/pdf', 'text/plain', 'image/png', 'application/octet-stream'),
  size: fc.integer({ min: 0, max: 5_000 }),
});
const message = fc.record({
  subject: fc.oneof(
    fc.constant(''),
    text.map((t) => t ?? 'Factura'),
  ),
  text,
  html: text.map((t) => (t === undefined ? undefined : `<p>${t}</p>`)),
  to: fc.array(address('to'), { minLength: 1, maxLength: 2 }),
  cc: fc.array(address('cc'), { maxLength: 2 }),
  bcc: fc.array(address('bcc'), { maxLength: 2 }),
  replyTo: fc.option(address('reply'), { nil: undefined }),
  attachments: fc.array(attachment, { maxLength: 3 }),
  headers: fc.constantFrom<Record<string, string>[]>(
    {},
    { 'X-Mailroom-Email-Id': 'em_01' },
    { 'X-Mailroom-Email-Id': 'em_01', 'List-Unsubscribe': '<https://x.example/u>' },
  ),
});

describe('composeMimeTree', () => {
  it('builds the tree MailComposer builds: the same bytes for an invoice (text, HTML, a PDF)', async () => {
    const { ours, theirs } = await bothWays(toNodemailerMessage(acmeInvoice()));
    expect(ours?.toString('latin1')).toBe(theirs.toString('latin1'));
  });

  it('builds the same bytes as MailComposer for random messages (bodies or none, names, attachments, headers)', async () => {
    await fc.assert(
      fc.asyncProperty(message, async (m) => {
        const outgoing = acmeInvoice({
          ...m,
          text: m.text,
          html: m.html,
          attachments: m.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: randomBytes(a.size) })),
        });
        const { ours, theirs, tree } = await bothWays(toNodemailerMessage(outgoing));
        expect(ours?.toString('latin1')).toBe(theirs.toString('latin1'));
        expect(serializeMimeTree(tree!)?.toString('latin1')).toBe(theirs.toString('latin1'));
      }),
      { numRuns: 300 },
    );
  });

  it('gives every node the boundary base, so none draws random bytes of its own', () => {
    const root = composeMimeTree(toNodemailerMessage(acmeInvoice()), BASE)!;
    const nodes: MimeNode[] = [];
    const walk = (n: MimeNode) => (nodes.push(n), n.childNodes.forEach(walk));
    walk(root);
    expect(nodes).toHaveLength(5); // mixed, alternative, text, html, the PDF
    expect(nodes.map((n) => n.baseBoundary)).toEqual(Array(5).fill(BASE));
    expect(composeMimeTree(toNodemailerMessage(acmeInvoice()))!.baseBoundary).toMatch(/^[0-9a-f]{16}$/);
  });

  it('leaves options it does not know to MailComposer', () => {
    const mail = toNodemailerMessage(acmeInvoice());
    expect(
      composeMimeTree({ ...mail, attachments: [{ filename: 'a.pdf', contentType: 'application/pdf', path: '/etc/hostname' }] }),
    ).toBeUndefined();
    expect(
      composeMimeTree({ ...mail, attachments: [{ filename: '', contentType: 'application/pdf', content: Buffer.from('x') }] }),
    ).toBeUndefined();
    expect(composeMimeTree({ ...mail, icalEvent: 'BEGIN:VCALENDAR' })).toBeUndefined();
    expect(
      composeMimeTree({
        ...mail,
        attachments: [{ filename: 'a.eml', contentType: 'message/rfc822', content: 'x', contentTransferEncoding: 'base64' }],
      }),
    ).toBeUndefined();
  });
});
