import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { IncomingWebhook } from '../src/webhook';

/** A stand-in for our webhook endpoint, listening on 127.0.0.1:0. */
export interface WebhookReceiver {
  /** http://127.0.0.1:<port><path> */
  url: string;
  /** Each post's exact bytes and headers (lower-case names, first value of a repeated header), in arrival order. */
  posts: IncomingWebhook[];
  close(): Promise<void>;
}

/** Starts a receiver that keeps every post and answers the status `answer` gives it (200 unless told). */
export async function startWebhookReceiver(path: string, answer: (post: IncomingWebhook) => number = () => 200): Promise<WebhookReceiver> {
  const posts: IncomingWebhook[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]));
      const post: IncomingWebhook = { rawBody: Buffer.concat(chunks), headers };
      posts.push(post);
      res.writeHead(answer(post)).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}${path}`, posts, close: () => new Promise((r) => server.close(() => r())) };
}
