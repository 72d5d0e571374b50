import { rawRequest } from './fuzz/raw-http';
import { API_KEY, Mailroom, startMailroom } from './support/mailroom-harness';

/**
 * Requests the fuzzer (fuzz-api.test.ts) found answered with a 500, each kept here as the plain
 * regression it became: a 4xx in the API's error shape that says what is wrong.
 */
describe('malformed requests get a 4xx that says what is wrong, never a 500', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
    await m.call('PUT', '/v1/tenants/re', { name: 'RE', plan: 'premium' });
  });
  afterAll(() => m.stop());
  const auth: [string, string] = ['Authorization', `Bearer ${API_KEY}`];

  it.each([
    '/v1/tenants/re/emails/%FF%FE',
    '/v1/tenants/re/emails/%',
    '/v1/tenants/%',
    '/v1/tenants/%E0%A4%A/emails',
    '/v1/tenants/%ED%A0%80/email-settings',
  ])('a path parameter that is not percent-encoded UTF-8 (%s) is a 400 malformed_url', async (path) => {
    const r = await rawRequest(m.api.port, { method: 'GET', path, headers: [auth] });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({
      code: 'malformed_url',
      message: expect.stringMatching(/URL path is not valid percent-encoded UTF-8/),
    });
  });

  it.each([
    ['gzip', Buffer.from('{"name":"RE","plan":"premium"}')],
    ['deflate', Buffer.from('not deflated at all')],
    ['gzip', Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0x00])],
  ])('a body that is not valid %s data is a 400 naming the Content-Encoding', async (encoding, bytes) => {
    const r = await rawRequest(m.api.port, {
      method: 'PUT',
      path: '/v1/tenants/re',
      headers: [auth, ['Content-Type', 'application/json'], ['Content-Encoding', encoding]],
      body: bytes,
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toMatchObject({
      code: 'bad_request',
      message: expect.stringMatching(new RegExp(`body could not be decoded as Content-Encoding ${encoding}`)),
    });
  });
  it.each([
    ['POST', '/v1/tenants/a%20b/emails'],
    ['GET', '/v1/tenants/a%20b/emails'],
    ['POST', '/v1/tenants/a%20b/emails/batch'],
    ['GET', '/v1/tenants/a%20b/emails/em_1'],
  ])('%s %s: a tenantId no tenant can have is the 400 PUT /v1/tenants gives, not a 404 saying to create it', async (method, path) => {
    const put = await rawRequest(m.api.port, {
      method: 'PUT',
      path: '/v1/tenants/a%20b',
      headers: [auth, ['Content-Type', 'application/json']],
      body: Buffer.from('{"name":"AB","plan":"premium"}'),
    });
    expect(put.status).toBe(400);
    const body =
      method === 'POST'
        ? Buffer.from(
            path.endsWith('/batch')
              ? '{"items":[{"to":["a@x.test"],"subject":"s","text":"t","idempotencyKey":"k1"}]}'
              : '{"to":["a@x.test"],"subject":"s","text":"t"}',
          )
        : undefined;
    const r = await rawRequest(m.api.port, {
      method,
      path,
      headers: [auth, ...(body ? [['Content-Type', 'application/json'] as [string, string]] : [])],
      ...(body ? { body } : {}),
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toEqual(put.json.error);
  });

  it.each([
    ['GET', '/v1/tenants/re/emails/em_1/retry', 'POST'],
    ['DELETE', '/v1/tenants/re/emails', 'GET, HEAD, POST'],
    ['PATCH', '/v1/tenants/re', 'GET, HEAD, PUT'],
    ['POST', '/v1/tenants/re/suppressions/a%40x.test', 'DELETE'],
  ])('%s %s: a path the API serves with another method is a 405 with Allow, not a 404', async (method, path, allow) => {
    const r = await rawRequest(m.api.port, { method, path, headers: [auth] });
    expect(r.status).toBe(405);
    expect(r.headers['allow']).toBe(allow);
    expect(r.json.error).toEqual({ code: 'method_not_allowed', message: `${method} is not served on ${path}: use ${allow}` });
  });

  it('a path the API does not serve stays a 404', async () => {
    const r = await rawRequest(m.api.port, { method: 'GET', path: '/v1/tenants/re/nothing-here', headers: [auth] });
    expect([r.status, r.json.error.code]).toEqual([404, 'not_found']);
  });

  it.each([
    ['empty', ''],
    ['too long', 'k'.repeat(201)],
    ['with a space', 'inv 42'],
  ])('an Idempotency-Key that is %s is a 400 naming the rule, and nothing is stored', async (_what, key) => {
    const before = await m.call('GET', '/v1/tenants/re/emails');
    const r = await rawRequest(m.api.port, {
      method: 'POST',
      path: '/v1/tenants/re/emails',
      headers: [auth, ['Content-Type', 'application/json'], ['Idempotency-Key', key]],
      body: Buffer.from('{"to":["a@x.test"],"subject":"s","text":"t"}'),
    });
    expect(r.status).toBe(400);
    expect(r.json.error).toEqual({ code: 'invalid_idempotency_key', message: 'Idempotency-Key must be 1-200 visible ASCII characters' });
    expect((await m.call('GET', '/v1/tenants/re/emails')).body.items).toEqual(before.body.items);
  });
});
