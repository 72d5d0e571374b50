import net from 'node:net';

/** One HTTP/1.1 request written byte for byte: any path, any header bytes, any body. */
export interface RawRequest {
  method: string;
  /** Sent as is: the caller encodes (or mis-encodes) it. */
  path: string;
  headers: [string, string][];
  body?: Buffer;
}

export interface RawResponse {
  status: number;
  headers: Record<string, string>;
  body: Buffer;
  /** The body parsed as JSON, when it is JSON. */
  json?: any;
}

/**
 * Sends a request over a fresh TCP connection with no client-side validation at all (fetch and
 * http.request refuse bad header bytes before they leave), and reads the answer until the server
 * closes. Header values are written as latin1, so each char is one byte, as on the wire.
 */
export function rawRequest(port: number, req: RawRequest, timeoutMs = 10_000): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`no complete answer within ${timeoutMs} ms to ${req.method} ${req.path.slice(0, 200)}`));
    }, timeoutMs);
    socket.on('data', (c) => chunks.push(c));
    socket.on('error', (e) => {
      clearTimeout(timer);
      // The server may reset a connection it answered already (a 413 before the body was read).
      const answered = chunks.length > 0 ? parse(Buffer.concat(chunks)) : undefined;
      if (answered) resolve(answered);
      else reject(e);
    });
    socket.on('close', () => {
      clearTimeout(timer);
      const answered = parse(Buffer.concat(chunks));
      if (answered) resolve(answered);
      else reject(new Error(`the server closed the connection without an answer to ${req.method} ${req.path.slice(0, 200)}`));
    });
    const body = req.body ?? Buffer.alloc(0);
    const head = [
      `${req.method} ${req.path} HTTP/1.1`,
      'Host: 127.0.0.1',
      'Connection: close',
      ...(req.headers.some(([k]) => /^(content-length|transfer-encoding)$/i.test(k)) ? [] : [`Content-Length: ${body.length}`]),
      ...req.headers.map(([k, v]) => `${k}: ${v}`),
      '',
      '',
    ].join('\r\n');
    socket.write(Buffer.concat([Buffer.from(head, 'latin1'), body]));
  });
}

function parse(raw: Buffer): RawResponse | undefined {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return undefined;
  const lines = raw.subarray(0, end).toString('latin1').split('\r\n');
  const m = /^HTTP\/1\.[01] (\d{3})/.exec(lines[0]);
  if (!m) return undefined;
  const headers: Record<string, string> = {};
  for (const line of lines.slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  let json: unknown;
  if (/json/.test(headers['content-type'] ?? '')) {
    try {
      json = JSON.parse(body.toString('utf8'));
    } catch {
      json = undefined;
    }
  }
  return { status: Number(m[1]), headers, body, json };
}

function dechunk(b: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  for (;;) {
    const eol = b.indexOf('\r\n', i);
    if (eol < 0) break;
    const size = parseInt(b.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(b.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/** A request in a failure report: short, but enough to replay it by hand. */
export function describeRequest(req: RawRequest): string {
  const body = req.body ? ` body=${JSON.stringify(req.body.toString('utf8').slice(0, 400))}` : '';
  return `${req.method} ${req.path.slice(0, 300)} headers=${JSON.stringify(req.headers).slice(0, 400)}${body}`;
}
