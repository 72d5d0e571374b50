import type MimeNode from 'nodemailer/lib/mime-node';
import { encode as encodeQuotedPrintable, wrap as wrapQuotedPrintable } from 'nodemailer/lib/qp';

/** nodemailer's line length for base64 and quoted-printable bodies (its encoders' default). */
const LINE_LENGTH = 76;
/**
 * nodemailer's quoted-printable encoder works through its input this many bytes at a time and wraps
 * lines at the slice edges its own way (a valid encoding, a few bytes different from wrapping it whole):
 * a longer text body is left to it.
 */
const QP_SLICE_BYTES = 64 * 1024;
const CR = 0x0d;
const LF = 0x0a;

/**
 * The bytes of a message nodemailer's MailComposer compiled, as `root.build()` would stream them, in
 * one synchronous pass: the same headers (each node's own `buildHeaders()`), the same boundaries, the
 * same base64 and quoted-printable bodies, the same final line break.
 *
 * nodemailer serializes a tree through streams: a PassThrough, an encoder, a pipeline and its
 * AbortController for every node, setImmediate between the parts. For an invoice (text, HTML and a
 * 30 KB PDF), composing and streaming it took 360-460 µs of CPU on this machine, this pass about a
 * third of that (decision 0067 has the measurements). The bodies are in memory here (Mailroom's
 * messages carry strings and Buffers, never paths, URLs or streams), so that machinery has nothing to
 * wait for.
 *
 * Returns undefined for a tree this does not serialize (a node whose content is not a string or a
 * Buffer, quoted-printable outside text or over 64 KB); the caller then lets nodemailer stream it.
 * `serialize-mime-tree.test.ts` compares the output with `root.build()`, byte for byte, on random
 * messages, so an upgrade of nodemailer that changes how it writes a tree fails that test instead of
 * drifting silently.
 */
export function serializeMimeTree(root: MimeNode): Buffer | undefined {
  const pieces: Piece[] = [];
  if (!appendNode(root, pieces)) return undefined;
  // nodemailer's LastNewline: the message ends with a line break.
  const last = lastByte(pieces);
  if (last !== LF) pieces.push(last === CR ? '\n' : '\r\n');
  // Written into one buffer of the message's size: no copy of the encoded attachment, no concat.
  const out = Buffer.allocUnsafe(pieces.reduce((n, p) => n + pieceLength(p), 0));
  let at = 0;
  for (const piece of pieces) at += writePiece(piece, out, at);
  return out;
}

/** Text (headers, boundaries, quoted-printable: UTF-8), bytes as they are, or bytes to write as wrapped base64. */
type Piece = string | Buffer | Base64Body;

class Base64Body {
  readonly encodedLength: number;
  constructor(readonly bytes: Buffer) {
    this.encodedLength = Math.ceil(bytes.length / 3) * 4;
  }
  /** Lines of 76 characters, CRLF between them and none after the last (nodemailer's `wrap(encode(bytes))`). */
  get length(): number {
    return this.encodedLength + Math.max(Math.ceil(this.encodedLength / LINE_LENGTH) - 1, 0) * 2;
  }
}

/** One node as MimeNode.stream writes it: its headers, a blank line, its body, then its children between boundaries. */
function appendNode(node: MimeNode, pieces: Piece[]): boolean {
  const content = node.content;
  if (content && typeof content !== 'string' && !Buffer.isBuffer(content)) return false;
  const transferEncoding = node.getTransferEncoding();
  pieces.push(node.buildHeaders() + '\r\n\r\n');
  if (content) {
    const body = encodeBody(typeof content === 'string' ? Buffer.from(content) : content, transferEncoding, node.contentType);
    if (body === undefined) return false;
    pieces.push(body);
  }
  if (!node.multipart) return true;
  for (let i = 0; i < node.childNodes.length; i++) {
    pieces.push(`${i > 0 ? '\r\n' : ''}--${node.boundary}\r\n`);
    if (!appendNode(node.childNodes[i], pieces)) return false;
  }
  pieces.push(`\r\n--${node.boundary}--\r\n`);
  return true;
}

/**
 * The body in its transfer encoding; undefined for quoted-printable outside text (never Mailroom's: its
 * attachments are base64) or over QP_SLICE_BYTES.
 */
function encodeBody(bytes: Buffer, transferEncoding: string | false, contentType: string | undefined): Piece | undefined {
  if (transferEncoding === 'base64') return new Base64Body(bytes);
  if (transferEncoding !== 'quoted-printable') return bytes;
  // Outside text nodemailer's encoder treats a lone CR or LF as data (its `binary` option): left to it.
  if (!/^text\//i.test(contentType ?? '') || bytes.length > QP_SLICE_BYTES) return undefined;
  return quotedPrintableText(bytes);
}

function pieceLength(piece: Piece): number {
  return typeof piece === 'string' ? Buffer.byteLength(piece) : piece.length;
}

function writePiece(piece: Piece, out: Buffer, at: number): number {
  if (typeof piece === 'string') return out.write(piece, at);
  if (Buffer.isBuffer(piece)) return piece.copy(out, at);
  // The base64 text at once, then its lines moved apart from the last to the first, CRLF between them.
  const length = out.write(piece.bytes.toString('base64'), at, 'latin1');
  for (let line = Math.ceil(length / LINE_LENGTH) - 1; line >= 1; line--) {
    const from = at + line * LINE_LENGTH;
    const to = at + line * (LINE_LENGTH + 2);
    out.copyWithin(to, from, Math.min(from + LINE_LENGTH, at + length));
    out[to - 2] = CR;
    out[to - 1] = LF;
  }
  return piece.length;
}

/**
 * Quoted-printable as nodemailer's stream encoder writes a body of one slice: the blanks the body ends
 * with are held back until its end is known, then encoded and wrapped together with the last line.
 */
function quotedPrintableText(bytes: Buffer): string {
  let end = bytes.length;
  while (end > 0 && (bytes[end - 1] === 0x20 || bytes[end - 1] === 0x09)) end--;
  const wrapped = wrapQuotedPrintable(encodeQuotedPrintable(bytes.subarray(0, end)), LINE_LENGTH);
  if (end === bytes.length) return wrapped;
  const lastLine = wrapped.lastIndexOf('\n') + 1;
  return (
    wrapped.slice(0, lastLine) + wrapQuotedPrintable(wrapped.slice(lastLine) + encodeQuotedPrintable(bytes.subarray(end)), LINE_LENGTH)
  );
}

function lastByte(pieces: Piece[]): number | undefined {
  for (let i = pieces.length - 1; i >= 0; i--) {
    const piece = pieces[i];
    if (piece.length === 0) continue;
    if (typeof piece === 'string') return piece.charCodeAt(piece.length - 1);
    // A base64 body ends with a base64 character, never a line break.
    return Buffer.isBuffer(piece) ? piece[piece.length - 1] : 0;
  }
  return undefined;
}
