import { randomUUID } from 'node:crypto';
import type { SendMailOptions } from 'nodemailer';
import MimeNode from 'nodemailer/lib/mime-node';

/** The headers MailComposer sets on the root from the options, in its order (after the custom ones). */
const ROOT_HEADERS = [
  ['from', 'from'],
  ['sender', 'sender'],
  ['to', 'to'],
  ['cc', 'cc'],
  ['bcc', 'bcc'],
  ['reply-to', 'replyTo'],
  ['in-reply-to', 'inReplyTo'],
  ['references', 'references'],
  ['subject', 'subject'],
  ['message-id', 'messageId'],
  ['date', 'date'],
] as const;

/** The options toNodemailerMessage gives; anything else is MailComposer's to compose. */
const KNOWN_OPTIONS = new Set<string>([
  ...ROOT_HEADERS.map(([, option]) => option),
  'text',
  'html',
  'attachments',
  'headers',
  'disableFileAccess',
  'disableUrlAccess',
]);

/** What every node gets: the message's boundary base and MailComposer's access flags. */
interface NodeOptions {
  baseBoundary: string;
  disableFileAccess: boolean;
  disableUrlAccess: boolean;
}

interface Part {
  contentType: string;
  content: string | Buffer;
  filename?: string;
  contentDisposition?: string;
  contentTransferEncoding?: string;
}

/**
 * The MIME tree nodemailer's MailComposer compiles from the options toNodemailerMessage gives (a text
 * and/or HTML body, attachments with a name, a type and base64 bytes in memory), built with
 * nodemailer's own MimeNode, node for node and header for header as MailComposer builds it, with one
 * difference nothing in the message shows: every node gets the message's `baseBoundary`.
 *
 * MailComposer hands `baseBoundary` to the root only; every other node draws `crypto.randomBytes(8)`
 * for a value nothing reads (boundaries use the root's, decision 0065). On this VM a randomBytes call
 * costs 8-17 µs (OpenSSL asks the kernel for the process id each time), five per invoice: with the
 * message serialized at once, the largest piece of composing it (decision 0067). The base is drawn
 * from `randomUUID`, which Node serves from a buffer it fills 128 UUIDs at a time.
 *
 * Returns undefined for options outside those shapes (an attachment without a name or a type, a path,
 * a URL, a stream, any option toNodemailerMessage does not give): the caller composes with
 * MailComposer. `compose-mime-tree.test.ts` builds random messages both ways and compares the bytes.
 */
export function composeMimeTree(mail: SendMailOptions, baseBoundary = randomBoundaryBase()): MimeNode | undefined {
  if (Object.keys(mail).some((key) => !KNOWN_OPTIONS.has(key) && mail[key as keyof SendMailOptions] !== undefined)) return undefined;
  const alternatives = bodies(mail);
  const attachments = attachmentParts(mail);
  if (!alternatives || !attachments) return undefined;
  const options: NodeOptions = { baseBoundary, disableFileAccess: !!mail.disableFileAccess, disableUrlAccess: !!mail.disableUrlAccess };

  const useAlternative = alternatives.length > 1;
  const useMixed = attachments.length > 1 || (alternatives.length > 0 && attachments.length === 1);
  let root: MimeNode;
  if (useMixed) {
    root = new MimeNode('multipart/mixed', options);
    if (useAlternative) {
      const alternative = root.createChild('multipart/alternative', options);
      for (const part of alternatives) contentNode(part, alternative, options);
    }
    for (const part of [...(useAlternative ? [] : alternatives), ...attachments]) contentNode(part, root, options);
  } else if (useAlternative) {
    root = new MimeNode('multipart/alternative', options);
    for (const part of alternatives) contentNode(part, root, options);
  } else {
    root = contentNode([...alternatives, ...attachments][0] ?? { contentType: 'text/plain', content: '' }, undefined, options);
  }

  if (mail.headers) root.addHeader(mail.headers as Parameters<MimeNode['addHeader']>[0]);
  for (const [header, option] of ROOT_HEADERS) {
    const value = mail[option];
    if (value) root.setHeader(header, value as Parameters<MimeNode['setHeader']>[1]);
  }
  root.messageId();
  return root;
}

/** The text and HTML bodies, as MailComposer's getAlternatives makes them; undefined for anything not a string. */
function bodies(mail: SendMailOptions): Part[] | undefined {
  const parts: Part[] = [];
  for (const [value, contentType] of [
    [mail.text, 'text/plain; charset=utf-8'],
    [mail.html, 'text/html; charset=utf-8'],
  ] as const) {
    if (!value) continue;
    if (typeof value !== 'string') return undefined;
    parts.push({ contentType, content: value });
  }
  return parts;
}

/** The attachments, as MailComposer's getAttachments makes them from a name, a type and bytes; undefined for any other. */
function attachmentParts(mail: SendMailOptions): Part[] | undefined {
  const parts: Part[] = [];
  for (const a of mail.attachments ?? []) {
    const known = Object.keys(a).every((key) => ['filename', 'contentType', 'content', 'contentTransferEncoding'].includes(key));
    if (!known || !a.filename || !a.contentType || !(typeof a.content === 'string' || Buffer.isBuffer(a.content))) return undefined;
    if (/^message\//i.test(a.contentType) || typeof a.contentTransferEncoding !== 'string') return undefined;
    parts.push({
      contentType: a.contentType,
      content: a.content || '',
      filename: a.filename,
      contentDisposition: 'attachment',
      contentTransferEncoding: a.contentTransferEncoding,
    });
  }
  return parts;
}

/** MailComposer's _createContentNode for a part in memory: a child of `parent`, or the root when there is none. */
function contentNode(part: Part, parent: MimeNode | undefined, options: NodeOptions): MimeNode {
  const nodeOptions = { ...options, filename: part.filename };
  const node = parent ? parent.createChild(part.contentType, nodeOptions) : new MimeNode(part.contentType, nodeOptions);
  if (part.contentTransferEncoding) node.setHeader('Content-Transfer-Encoding', part.contentTransferEncoding);
  if (!/^text\//i.test(part.contentType) || part.contentDisposition)
    node.setHeader('Content-Disposition', part.contentDisposition ?? 'attachment');
  node.setContent(part.content);
  return node;
}

/** 16 hex digits, as nodemailer's own `randomBytes(8).toString('hex')`. */
function randomBoundaryBase(): string {
  return randomUUID().replace(/-/g, '').slice(16);
}
