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
  /** Every request, in order. Reading it throws once a request failed the receiver's `check`. */
  readonly received: ReceivedCallback[];
  /** Only the requests answered 2xx. Throws, like `received`, once a request failed the `check`. */
  delivered(): ReceivedCallback[];
  script: Script;
  /** Closes the server; rejects when a request failed the `check` (so a test that read nothing still fails). */
  close(): Promise<void>;
}

/**
 * Checks one request's headers (lower-case names) and parsed body, throwing what is wrong with it. A
 * request that fails is answered 400 (the script is not asked), and the receiver then throws on every
 * read of what it received, and on close, with the reason: the test fails.
 */
export type CallbackCheck = (request: { headers: Record<string, string>; payload: unknown }) => void;

export async function startCallbackReceiver(
  secrets: string[],
  script: Script = () => 204,
  options: { check?: CallbackCheck } = {},
): Promise<CallbackReceiver> {
  const verifiers = secrets.map((s) => new Webhook(s));
  const hanging = new Set<http.ServerResponse>();
  const all: ReceivedCallback[] = [];
  const problems: string[] = [];
  const checked = () => {
    if (problems.length)
      throw new Error(`the callback receiver got ${problems.length} request(s) that failed its check:\n${problems.join('\n')}`);
    return all;
  };
  const receiver: CallbackReceiver = {
    url: '',
    get received() {
      return checked();
    },
    delivered: () => checked().filter((r) => typeof r.answeredWith === 'number' && r.answeredWith < 300),
    script,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      checked();
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
        const n = all.length;
        const record: ReceivedCallback = { ...seen, answeredWith: 'hang' };
        all.push(record);
        const problem = checkOf(options.check, req.headers, seen.payload);
        if (problem) {
          problems.push(`${seen.payload?.type ?? 'a callback'} (${seen.id}): ${problem}`);
          record.answeredWith = 400;
          record.answeredAt = Date.now();
          return void res.writeHead(400, { 'content-type': 'text/plain' }).end(problem);
        }
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

/** What the check says is wrong with a request, or undefined. */
function checkOf(check: CallbackCheck | undefined, raw: http.IncomingHttpHeaders, payload: unknown): string | undefined {
  if (!check) return undefined;
  const headers = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, Array.isArray(v) ? v.join(', ') : String(v)]));
  try {
    check({ headers, payload });
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
