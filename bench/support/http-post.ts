import http from 'node:http';

export interface PostAnswer {
  status: number;
  body: string;
}

/**
 * A light HTTP client for the load generators: `node:http` on a keep-alive agent, the body sent as one
 * Buffer, the answer read whole. The bench's clients stand for the platform's backend, which runs on
 * other machines; on this one they share the two cores with what is measured, so they should cost as
 * little as a client can. Node's `fetch` (undici, WHATWG streams) cost the end-to-end row's clients
 * 1.2 ms of CPU per request, and held the single-enqueue row's bare Express baseline to half of what
 * it answers (decision 0047). Every row's HTTP clients use this one.
 */
export function httpPoster(maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  return {
    post(url: string, headers: Record<string, string>, body: string | Buffer): Promise<PostAnswer> {
      const payload = typeof body === 'string' ? Buffer.from(body) : body;
      return new Promise((resolve, reject) => {
        const req = http.request(
          url,
          { method: 'POST', agent, headers: { ...headers, 'content-length': String(payload.length) } },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
            res.on('error', reject);
          },
        );
        req.on('error', reject);
        req.end(payload);
      });
    },
    close(): void {
      agent.destroy();
    },
  };
}
