import type { IncomingMessage } from 'node:http';
import type { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';

/** A body that cannot be read as asked: the status says why (413 too large, 415 an encoding we do not know, 400 cut short). */
export class BodyReadError extends Error {
  override readonly name = 'BodyReadError';
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function decompressor(req: IncomingMessage): Transform | undefined {
  const encoding = (req.headers['content-encoding'] ?? 'identity').toLowerCase();
  switch (encoding) {
    case 'identity':
      return undefined;
    case 'gzip':
      return zlib.createGunzip();
    case 'deflate':
      return zlib.createInflate();
    case 'br':
      return zlib.createBrotliDecompress();
    default:
      throw new BodyReadError(415, `unsupported content encoding "${encoding}": send identity, gzip, deflate or br`);
  }
}

/**
 * The exact bytes of a request's body (inflated when it came compressed), at most `limit` bytes, as
 * Express's raw parser read them before (decision 0041): 413 past the limit, 415 for an unknown
 * encoding, 400 when the client stops half way. On a refusal the rest of the body is read off and
 * dropped before the promise rejects, so the answer goes out on a connection that can be reused.
 */
export function readRawBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise<Buffer>((resolve, reject) => {
    const refuse = (error: BodyReadError, inflate?: Transform) => {
      if (inflate) {
        req.unpipe(inflate);
        inflate.destroy();
      }
      if (req.complete || req.destroyed) return reject(error);
      req.once('end', () => reject(error));
      req.once('close', () => reject(error));
      req.resume();
    };
    const declared = req.headers['content-length'] === undefined ? undefined : Number(req.headers['content-length']);
    if (!req.headers['content-encoding'] && declared !== undefined && declared > limit)
      return refuse(new BodyReadError(413, `the body is over the limit of ${limit} bytes`));
    let inflate: Transform | undefined;
    try {
      inflate = decompressor(req);
    } catch (e) {
      return refuse(e as BodyReadError);
    }
    const stream: Readable = inflate ? req.pipe(inflate) : req;
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    const fail = (error: BodyReadError) => {
      if (settled) return;
      settled = true;
      refuse(error, inflate);
    };
    stream.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) return fail(new BodyReadError(413, `the body is over the limit of ${limit} bytes`));
      chunks.push(chunk);
    });
    stream.on('end', () => {
      if (settled) return;
      settled = true;
      resolve(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks, size));
    });
    stream.on('error', (e: Error) => fail(new BodyReadError(400, `the body could not be read: ${e.message}`)));
    req.on('close', () => {
      if (!req.complete) fail(new BodyReadError(400, 'the request was aborted before its body was complete'));
    });
  });
}
