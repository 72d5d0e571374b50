import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { gzipSync } from 'node:zlib';
import { API_KEY, Mailroom, OPS_TOKEN, startMailroom } from './support/mailroom-harness';

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** A raw request, so bodies, encodings and headers can be anything a client may send. */
function send(base: string, path: string, options: { headers?: Record<string, string>; body?: Buffer | string } = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.from(options.body);
    const req = http.request(
      base + path,
      {
        method: 'POST',
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/** What must be the same whichever way the request was served: ids and times differ by nature. */
function comparable(a: Answer) {
  const normalized = a.body.replace(/em_[A-Za-z0-9_-]+/g, '<id>');
  return {
    status: a.status,
    contentType: a.headers['content-type'],
    wwwAuthenticate: a.headers['www-authenticate'],
    replayed: a.headers['idempotent-replayed'],
    location: a.headers.location?.replace(/em_[A-Za-z0-9_-]+/g, '<id>'),
    body: normalized.startsWith('{') ? JSON.parse(normalized) : normalized,
  };
}

const JSON_TYPE = { 'content-type': 'application/json' };
const invoice = (n: string) => JSON.stringify({ to: ['client@customer.example'], subject: `Invoice ${n}`, text: 'Attached.' });

/**
 * POST /v1/tenants/:tenantId/emails is served before Express (enqueue-email.listener.ts, decision 0048).
 * Every kind of request, good and bad, goes both to the API as it is served and to its Express app
 * alone (the same deps, store and Redis), and both must answer the same status, headers and body.
 */
describe('the single enqueue served before Express answers as Express answers', () => {
  let m: Mailroom;
  let expressOnly: http.Server;
  let expressUrl: string;
  const logs: string[] = [];

  beforeAll(async () => {
    const logStream = new PassThrough();
    logStream.on('data', (d: Buffer) => logs.push(...d.toString().split('\n').filter(Boolean)));
    // A small attachment limit, so the body limit (4/3 of it, plus 1 MB) is reached by a 2 MB post.
    m = await startMailroom({ MAX_ATTACHMENT_BYTES: '3000' }, { logStream, logLevel: 'info' });
    await m.call('PUT', '/v1/tenants/acme', { name: 'ACME', plan: 'premium' });
    await m.call('PUT', '/v1/tenants/other', { name: 'Other', plan: 'premium' });
    expressOnly = http.createServer(m.api.app);
    await new Promise<void>((r) => expressOnly.listen(0, '127.0.0.1', r));
    expressUrl = `http://127.0.0.1:${(expressOnly.address() as AddressInfo).port}`;
  }, 60_000);
  afterAll(async () => {
    await new Promise((r) => expressOnly.close(r));
    await m.stop();
  });

  const platform = { authorization: `Bearer ${API_KEY}` };
  const cases: [string, (who: string) => { path?: string; headers?: Record<string, string>; body?: Buffer | string }][] = [
    ['a valid invoice', () => ({ headers: { ...platform, ...JSON_TYPE }, body: invoice('1') })],
    [
      'a trailing slash, upper case, a query string',
      () => ({ path: '/V1/TENANTS/acme/EMAILS/?x=1', headers: { ...platform, ...JSON_TYPE }, body: invoice('2') }),
    ],
    ['a charset of utf-8', () => ({ headers: { ...platform, 'content-type': 'application/json; charset=utf-8' }, body: invoice('3') })],
    ['a gzip-encoded body', () => ({ headers: { ...platform, ...JSON_TYPE, 'content-encoding': 'gzip' }, body: gzipSync(invoice('4')) })],
    ['malformed JSON', () => ({ headers: { ...platform, ...JSON_TYPE }, body: '{"to": [' })],
    ['a JSON string, not an object (strict)', () => ({ headers: { ...platform, ...JSON_TYPE }, body: '"invoice"' })],
    ['a JSON array', () => ({ headers: { ...platform, ...JSON_TYPE }, body: '[]' })],
    ['an empty body', () => ({ headers: { ...platform, ...JSON_TYPE }, body: '' })],
    ['text/plain', () => ({ headers: { ...platform, 'content-type': 'text/plain' }, body: invoice('5') })],
    [
      'a charset that is not UTF',
      () => ({ headers: { ...platform, 'content-type': 'application/json; charset=latin1' }, body: invoice('6') }),
    ],
    [
      'an unknown content encoding',
      () => ({ headers: { ...platform, ...JSON_TYPE, 'content-encoding': 'x-unknown' }, body: invoice('7') }),
    ],
    ['a body that does not inflate', () => ({ headers: { ...platform, ...JSON_TYPE, 'content-encoding': 'gzip' }, body: 'not gzip' })],
    [
      'a body over the limit',
      () => ({ headers: { ...platform, ...JSON_TYPE }, body: JSON.stringify({ pad: 'x'.repeat(2 * 1024 * 1024) }) }),
    ],
    ['no Authorization', () => ({ headers: JSON_TYPE, body: invoice('8') })],
    ['an unknown token', () => ({ headers: { authorization: 'Bearer nope', ...JSON_TYPE }, body: invoice('9') })],
    ['the ops token', () => ({ headers: { authorization: `Bearer ${OPS_TOKEN}`, ...JSON_TYPE }, body: invoice('10') })],
    [
      "another tenant's token",
      () => ({ headers: { authorization: `Bearer ${m.api.deps.tenantTokens.mint('other').token}`, ...JSON_TYPE }, body: invoice('11') }),
    ],
    [
      'its own tenant token',
      () => ({ headers: { authorization: `Bearer ${m.api.deps.tenantTokens.mint('acme').token}`, ...JSON_TYPE }, body: invoice('12') }),
    ],
    ['a bad Idempotency-Key', () => ({ headers: { ...platform, ...JSON_TYPE, 'idempotency-key': 'x'.repeat(201) }, body: invoice('13') })],
    ['an unknown tenant', () => ({ path: '/v1/tenants/nobody/emails', headers: { ...platform, ...JSON_TYPE }, body: invoice('14') })],
    [
      'a field that is not valid',
      () => ({ headers: { ...platform, ...JSON_TYPE }, body: JSON.stringify({ to: ['not-an-address'], subject: 'x', text: 'y' }) }),
    ],
    ['bad JSON and no Authorization (the body is read first)', () => ({ headers: JSON_TYPE, body: '{' })],
    [
      'a path segment that is not percent-encoding',
      () => ({ path: '/v1/tenants/%E0%A4%A/emails', headers: { ...platform, ...JSON_TYPE }, body: invoice('15') }),
    ],
    [
      'a first request with an Idempotency-Key',
      (who) => ({ headers: { ...platform, ...JSON_TYPE, 'idempotency-key': `parity-${who}` }, body: invoice('16') }),
    ],
    ['its replay', (who) => ({ headers: { ...platform, ...JSON_TYPE, 'idempotency-key': `parity-${who}` }, body: invoice('16') })],
  ];

  it.each(cases)('%s', async (name, request) => {
    const at = (who: 'listener' | 'express', base: string) => {
      const r = request(who);
      return send(base, r.path ?? '/v1/tenants/acme/emails', r);
    };
    const [listener, express] = [await at('listener', m.api.url), await at('express', expressUrl)];
    expect(comparable(listener)).toEqual(comparable(express));
    expect(listener.status).toBeLessThan(500);
    // Which one answered: Express's res.json adds an ETag, the listener does not (a POST's answer is
    // never cached). Only the path Express must decode itself goes through to Express.
    expect(express.headers.etag).toBeDefined();
    if (name.includes('percent-encoding')) expect(listener.headers.etag).toBeDefined();
    else expect(listener.headers.etag).toBeUndefined();
  });

  it('writes the same request line, with the tenant and the email it created', async () => {
    const answer = await send(m.api.url, '/v1/tenants/acme/emails', { headers: { ...platform, ...JSON_TYPE }, body: invoice('log') });
    const { id } = JSON.parse(answer.body) as { id: string };
    const line = logs.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.emailId === id && l.msg === 'request completed');
    expect(line).toMatchObject({
      req: { method: 'POST', path: '/v1/tenants/acme/emails' },
      res: { status: 202 },
      tenantId: 'acme',
      emailId: id,
    });
  });
});
