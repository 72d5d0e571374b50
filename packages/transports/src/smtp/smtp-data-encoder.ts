import type { Transform, TransformCallback } from 'node:stream';
import DataStream from 'nodemailer/lib/smtp-connection/data-stream';

/**
 * The bytes of a message as SMTP's DATA phase carries them, with nodemailer's rules exactly
 * (smtp-connection/data-stream.js): a bare CR or a bare LF becomes CRLF, a dot that starts a line
 * (also after a bare CR: SMTP smuggling) is doubled, and the message ends with CRLF "." CRLF.
 *
 * nodemailer applies those rules by looking at every byte of the message in JavaScript, and writes
 * each piece its MIME stream hands it (9 for an invoice of 30 KB) to the TLS socket on its own: under
 * the end-to-end benchmark that loop was the worker's largest own frame (5 % of its samples, about
 * 0.23 ms of CPU per email) and the writes another 11 %. This encoder finds the line breaks with
 * Buffer.indexOf (native) and looks only at the bytes around them, and holds the encoded bytes until
 * HOLD_BYTES or the message's end, so a 30 KB invoice reaches the socket in one write and the server
 * reads it in fewer TLS records (decision 0065 has the measurements).
 *
 * It is installed on nodemailer's own DataStream class (a public export, `nodemailer/lib/...`), once
 * per process, by the first SmtpTransport: nodemailer creates one per message inside its connection
 * and offers no option to pass another. `smtp-data-encoder.test.ts` checks the output against
 * nodemailer's own encoder, byte for byte, on random messages cut into random pieces, so an upgrade
 * of nodemailer that changes its rules fails that test instead of drifting silently.
 */

const CR = 0x0d;
const LF = 0x0a;
const DOT = 0x2e;
const INSERT_LF = Buffer.from('\n');
const INSERT_LF_DOT = Buffer.from('\n.');
const INSERT_CR = Buffer.from('\r');
const INSERT_DOT = Buffer.from('.');

/** Encoded bytes are written once this many are held (and at the message's end). */
export const HOLD_BYTES = 64 * 1024;

/** The previous byte of the message, or false at its start (nodemailer's `lastByte`). */
export type PreviousByte = number | false;

/** What to insert before `chunk[i]`, given the byte before it: nodemailer's three rules. */
function insertBefore(chunk: Buffer, i: number, previous: PreviousByte): Buffer | undefined {
  const byte = chunk[i];
  const prev = i ? chunk[i - 1] : previous;
  if (prev === CR && byte !== LF) return byte === DOT ? INSERT_LF_DOT : INSERT_LF;
  if (byte === LF && prev !== CR) return INSERT_CR;
  if (byte === DOT && (prev === LF || prev === false)) return INSERT_DOT;
  return undefined;
}

/**
 * One piece of a message, encoded; `previous` is the last byte of the piece before it. Only the first
 * byte, each LF and each byte after a CR or an LF can need an insertion: those are the only ones looked at.
 */
export function encodeDataChunk(chunk: Buffer, previous: PreviousByte): Buffer {
  const len = chunk.length;
  const parts: Buffer[] = [];
  let copiedUpTo = 0;
  let outLength = 0;
  let lastVisited = -1;
  const visit = (i: number) => {
    if (i <= lastVisited || i >= len) return;
    lastVisited = i;
    const insert = insertBefore(chunk, i, previous);
    if (!insert) return;
    if (i > copiedUpTo) {
      parts.push(chunk.subarray(copiedUpTo, i));
      outLength += i - copiedUpTo;
    }
    parts.push(insert);
    outLength += insert.length;
    copiedUpTo = i;
  };
  visit(0);
  let nextCr = chunk.indexOf(CR);
  let nextLf = chunk.indexOf(LF);
  while (nextCr !== -1 || nextLf !== -1) {
    let at: number;
    if (nextLf === -1 || (nextCr !== -1 && nextCr < nextLf)) {
      at = nextCr;
      nextCr = chunk.indexOf(CR, at + 1);
    } else {
      at = nextLf;
      nextLf = chunk.indexOf(LF, at + 1);
      visit(at);
    }
    visit(at + 1);
  }
  if (!parts.length) return chunk;
  if (copiedUpTo < len) {
    parts.push(chunk.subarray(copiedUpTo));
    outLength += len - copiedUpTo;
  }
  return Buffer.concat(parts, outLength);
}

/** The end of the DATA phase, after a message whose last byte was `previous`. */
export function dataTerminator(previous: PreviousByte): Buffer {
  if (previous === LF) return Buffer.from('.\r\n');
  if (previous === CR) return Buffer.from('\n.\r\n');
  return Buffer.from('\r\n.\r\n');
}

/** nodemailer's DataStream fields, which its connection reads (byte counts) and its rules keep (lastByte). */
interface DataStreamFields extends Transform {
  inByteCount: number;
  outByteCount: number;
  lastByte: PreviousByte;
  held?: Buffer[];
  heldBytes?: number;
}

function transform(this: DataStreamFields, chunk: Buffer | string, _encoding: BufferEncoding, done: TransformCallback): void {
  if (!chunk || !chunk.length) return done();
  const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
  this.inByteCount += bytes.length;
  const encoded = encodeDataChunk(bytes, this.lastByte);
  this.lastByte = bytes[bytes.length - 1];
  this.outByteCount += encoded.length;
  (this.held ??= []).push(encoded);
  this.heldBytes = (this.heldBytes ?? 0) + encoded.length;
  if (this.heldBytes >= HOLD_BYTES) pushHeld(this);
  done();
}

function flush(this: DataStreamFields, done: TransformCallback): void {
  const end = dataTerminator(this.lastByte);
  this.outByteCount += end.length;
  (this.held ??= []).push(end);
  this.heldBytes = (this.heldBytes ?? 0) + end.length;
  pushHeld(this);
  done();
}

function pushHeld(stream: DataStreamFields): void {
  const held = stream.held ?? [];
  stream.push(held.length === 1 ? held[0] : Buffer.concat(held, stream.heldBytes));
  stream.held = [];
  stream.heldBytes = 0;
}

const INSTALLED = Symbol.for('mailroom.smtpDataEncoder');
type Prototype = { _transform: unknown; _flush: unknown; [INSTALLED]?: true };

/** Puts this encoder in nodemailer's place, for every SMTP connection of this process. Idempotent. */
export function installSmtpDataEncoder(): void {
  const prototype = DataStream.prototype as unknown as Prototype;
  if (prototype[INSTALLED]) return;
  prototype._transform = transform;
  prototype._flush = flush;
  prototype[INSTALLED] = true;
}

/** Whether this process's nodemailer encodes DATA with this encoder (the benchmark's baseline must not). */
export function smtpDataEncoderInstalled(): boolean {
  return (DataStream.prototype as unknown as Prototype)[INSTALLED] === true;
}
