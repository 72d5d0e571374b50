import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { BodyReadError, readRawBody } from './read-raw-body';

const LIMIT = 64 * 1024;

/** A real HTTP server answering with the bytes readRawBody read, or with its refusal's status. */
describe('reading a provider post body', () => {
  let server: http.Server;
  let url: string;

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      readRawBody(req, LIMIT).then(
        (body) => res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(body),
        (e: BodyReadError) => res.writeHead(e.status, { 'content-type': 'text/plain' }).end(e.message),
      );
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const post = async (body: Buffer, headers: Record<string, string> = {}) => {
    const res = await fetch(url, { method: 'POST', body, headers });
    return { status: res.status, body: Buffer.from(await res.arrayBuffer()) };
  };

  it('gives back the exact bytes, an empty body as empty', async () => {
    const bytes = Buffer.from('{"signature":{"token":"t"},"event-data":{"id":"é"}}\u0000\xff', 'latin1');
    expect(await post(bytes)).toEqual({ status: 200, body: bytes });
    expect(await post(Buffer.alloc(0))).toEqual({ status: 200, body: Buffer.alloc(0) });
  });

  it('inflates gzip, deflate and br bodies, as Express did', async () => {
    const bytes = Buffer.from(JSON.stringify({ events: Array.from({ length: 200 }, (_, i) => ({ i })) }));
    expect(await post(zlib.gzipSync(bytes), { 'content-encoding': 'gzip' })).toEqual({ status: 200, body: bytes });
    expect(await post(zlib.deflateSync(bytes), { 'content-encoding': 'deflate' })).toEqual({ status: 200, body: bytes });
    expect(await post(zlib.brotliCompressSync(bytes), { 'content-encoding': 'BR' })).toEqual({ status: 200, body: bytes });
  });

  it('refuses a body over the limit with 413, declared or inflated, and the connection still answers', async () => {
    const big = Buffer.alloc(LIMIT + 1, 'a');
    const declared = await post(big);
    expect(declared.status).toBe(413);
    expect(declared.body.toString()).toContain(`${LIMIT} bytes`);
    expect((await post(zlib.gzipSync(big), { 'content-encoding': 'gzip' })).status).toBe(413);
    expect((await post(Buffer.alloc(LIMIT, 'a'))).status).toBe(200);
  });

  it('refuses an encoding it does not know with 415 naming the ones it reads, and a corrupt one with 400', async () => {
    const unknown = await post(Buffer.from('x'), { 'content-encoding': 'compress' });
    expect(unknown.status).toBe(415);
    expect(unknown.body.toString()).toContain('identity, gzip, deflate or br');
    expect((await post(Buffer.from('not gzip at all'), { 'content-encoding': 'gzip' })).status).toBe(400);
  });
});
