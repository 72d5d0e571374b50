import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';

/**
 * The platform's side of signed status callbacks, for tests: a real HTTP endpoint that verifies every callback with the
 * `standardwebhooks` package (one verifier per secret it knows) and answers as scripted.
 */
export interface ReceivedCallback {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  payload: { type: string; timestamp: string; data: Record<string, unknown> };
  /** For each secret the receiver knows, in order: did its verifier accept the request? */
  verifiedBy: boolean[];
  answeredWith: number | 'hang';
  receivedAt: number;
  /** When the answer was sent (undefined while hanging). */
  answeredAt?: number;
}

/** The answer to the n-th request (0-based), given what it carried; 'hang' never answers. */
export type Script = (
  n: number,
  callback: Omit<ReceivedCallback, 'answeredWith' | 'answeredAt'>,
) => number | 'hang' | Promise<number | 'hang'>;

export interface CallbackReceiver {
  url: string;
  received: ReceivedCallback[];
  /** Only the requests answered 2xx. */
  delivered(): ReceivedCallback[];
  script: Script;
  close(): Promise<void>;
}

export async function startCallbackReceiver(secrets: string[], script: Script = () => 204): Promise<CallbackReceiver> {
  const verifiers = secrets.map((s) => new Webhook(s));
  const hanging = new Set<http.ServerResponse>();
  const receiver: CallbackReceiver = {
    url: '',
    received: [],
    delivered: () => receiver.received.filter((r) => typeof r.answeredWith === 'number' && r.answeredWith < 300),
    script,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void (async () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const headers = {
          'webhook-id': String(req.headers['webhook-id'] ?? ''),
          'webhook-timestamp': String(req.headers['webhook-timestamp'] ?? ''),
          'webhook-signature': String(req.headers['webhook-signature'] ?? ''),
        };
        const verifiedBy = verifiers.map((v) => {
          try {
            v.verify(body, headers);
            return true;
          } catch {
            return false;
          }
        });
        const seen = {
          id: headers['webhook-id'],
          timestamp: headers['webhook-timestamp'],
          signature: headers['webhook-signature'],
          body,
          payload: JSON.parse(body) as ReceivedCallback['payload'],
          verifiedBy,
          receivedAt: Date.now(),
        };
        const n = receiver.received.length;
        const record: ReceivedCallback = { ...seen, answeredWith: 'hang' };
        receiver.received.push(record);
        const answer = await receiver.script(n, seen);
        record.answeredWith = answer;
        if (answer === 'hang') return void hanging.add(res);
        record.answeredAt = Date.now();
        res.writeHead(answer, { 'content-type': 'text/plain' }).end(answer < 300 ? '' : `scripted ${answer}`);
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks/mailroom`;
  return receiver;
}
