import fs from 'node:fs';
import path from 'node:path';
import { apiOpenApiDocument } from '@mailroom/api';
import { CALLBACK_EVENT_TYPES, HINT_KEYS, HINT_THENS } from '@mailroom/domain';
import { PROVIDERS } from '@mailroom/transports';
import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { expressRoutes } from './fuzz/express-routes';
import { Mailroom, startMailroom } from './support/mailroom-harness';
import { openApiProblem } from './support/validate-openapi';

type Doc = {
  openapi: string;
  paths: Record<string, Record<string, any>>;
  webhooks: Record<string, Record<string, any>>;
  components: { schemas: Record<string, object>; securitySchemes: Record<string, object> };
};

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options', 'trace'];
const toOpenApiPath = (p: string) => p.replace(/:(\w+)/g, '{$1}');

/**
 * GET /v1/openapi.json (issue 10 section 4, decision 0031): served without a token, a valid OpenAPI
 * 3.1 document, describing every /v1 route the app serves and no other. (That the e2e tests' answers
 * validate against it is checked by the harness's `call`, support/openapi-answers.ts.)
 */
describe('the OpenAPI document', () => {
  let m: Mailroom;
  let doc: Doc;

  beforeAll(async () => {
    m = await startMailroom({}, { worker: false });
    const res = await fetch(`${m.api.url}/v1/openapi.json`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    doc = (await res.json()) as Doc;
  });
  afterAll(() => m.stop());

  it('is served without a token, and the same with one', async () => {
    const withToken = await m.call('GET', '/v1/openapi.json');
    expect(withToken.status).toBe(200);
    expect(withToken.body).toEqual(doc);
  });

  it('validates as OpenAPI 3.1 (swagger-parser: the 3.1 schema, every $ref resolving)', () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(openApiProblem(doc)).toBeNull();
    // And the validator does refuse what is not OpenAPI 3.1.
    expect(openApiProblem({ ...doc, paths: { '/v1/x': { get: { responses: { 200: { content: {} } } } } } })).toMatch(/description/);
  });

  it('describes every /v1 route the app serves, and no route it does not serve', () => {
    const served = expressRoutes(m.api.app)
      .filter((r) => r.path.startsWith('/v1/') && r.method !== '*')
      .map((r) => `${r.method} ${toOpenApiPath(r.path)}`);
    const described = Object.entries(doc.paths).flatMap(([p, ops]) =>
      Object.keys(ops)
        .filter((k) => METHODS.includes(k))
        .map((k) => `${k.toUpperCase()} ${p}`),
    );
    expect(served.length).toBeGreaterThan(10);
    expect(served.filter((r) => !described.includes(r))).toEqual([]);
    expect(described.filter((r) => !served.includes(r))).toEqual([]);
    // Nothing is mounted under /v1 that a walk of routes would miss (a sub-app's routes are its own).
    expect(expressRoutes(m.api.app).filter((r) => r.method === '*' && r.path.startsWith('/v1'))).toEqual([]);
  });

  it('states the auth schemes, the error shape, parameters, bodies and answers of each route', () => {
    expect(doc.components.securitySchemes).toEqual({
      platformKey: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
      tenantToken: expect.objectContaining({ type: 'http', scheme: 'bearer' }),
    });
    expect(doc.components.schemas.Error).toMatchObject({
      required: ['error'],
      properties: { error: { required: ['code', 'message'], properties: { details: expect.any(Object) } } },
    });
    for (const [p, ops] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(ops)) {
        const where = `${method.toUpperCase()} ${p}`;
        const pathParams = [...p.matchAll(/\{(\w+)\}/g)].map((x) => x[1]);
        const declared = op.parameters.filter((x: any) => x.in === 'path').map((x: any) => x.name);
        expect({ where, params: declared.sort() }).toEqual({ where, params: pathParams.sort() });
        const statuses = Object.keys(op.responses).map(Number);
        expect({ where, success: statuses.some((s) => s < 300) }).toEqual({ where, success: true });
        expect({ where, errors: op.responses['500'].content['application/json'].schema }).toEqual({
          where,
          errors: { $ref: '#/components/schemas/Error' },
        });
        if (p === '/v1/openapi.json') expect(op.security).toEqual([]);
        else
          expect({ where, security: op.security.length > 0, has401: '401' in op.responses }).toEqual({
            where,
            security: true,
            has401: true,
          });
        if (method === 'put' || p.endsWith('/emails') || p.endsWith('/suppressions')) {
          if (method !== 'get') expect({ where, body: Boolean(op.requestBody) }).toEqual({ where, body: true });
        }
      }
    }
    expect(doc.paths['/v1/tenants/{tenantId}/emails'].get.parameters.map((x: any) => x.name)).toEqual(
      expect.arrayContaining(['tenantId', 'status', 'since', 'limit', 'cursor']),
    );
    expect(doc.paths['/v1/tenants/{tenantId}'].put.security).toEqual([{ platformKey: [] }]);
  });

  it("states each hint's key, values and follow-up beside its words: an attempt's and a test email's", () => {
    const withHints: any[] = [];
    const walk = (node: unknown): void => {
      if (typeof node !== 'object' || node === null) return;
      const props = (node as { properties?: Record<string, unknown> }).properties;
      if (props?.hint && props.hintKey) withHints.push(props);
      Object.values(node).forEach(walk);
    };
    walk(doc);
    // The attempt (in each email answer: one email, the history, a cancel) and the test email's error.
    expect(withHints.length).toBeGreaterThanOrEqual(2);
    for (const props of withHints) {
      expect(props.hintKey.enum).toEqual([...HINT_KEYS]);
      expect(props.hintThen.enum).toEqual([...HINT_THENS]);
      expect(props.hintParams.type).toBe('object');
    }
    const test = doc.paths['/v1/tenants/{tenantId}/email-settings/test'].post.responses['200'].content['application/json'].schema;
    expect(test).toEqual({ $ref: '#/components/schemas/SendTestEmail200' });
    expect(Object.keys((doc.components.schemas.SendTestEmail200 as any).properties.error.properties)).toEqual(
      expect.arrayContaining(['hint', 'hintKey', 'hintParams', 'hintThen']),
    );
  });

  it('describes every callback Mailroom posts as a webhook: its Standard Webhooks headers, its exact body, the answers it expects', () => {
    expect(Object.keys(doc.webhooks)).toEqual([...CALLBACK_EVENT_TYPES]);
    for (const type of CALLBACK_EVENT_TYPES) {
      const hook = doc.webhooks[type];
      expect({ type, methods: Object.keys(hook) }).toEqual({ type, methods: ['post'] });
      const op = hook.post;
      const headers = op.parameters.filter((p: any) => p.in === 'header' && p.required).map((p: any) => p.name);
      expect({ type, headers }).toEqual({ type, headers: ['webhook-id', 'webhook-timestamp', 'webhook-signature'] });
      expect(op.security).toEqual([]);
      expect(op.requestBody.required).toBe(true);
      const ref: string = op.requestBody.content['application/json'].schema.$ref;
      const body = doc.components.schemas[ref.replace('#/components/schemas/', '')] as any;
      // The body is `{ type, timestamp, data }` of this type, and nothing else.
      expect({
        type,
        body: { props: Object.keys(body.properties), type: body.properties.type.const, closed: body.additionalProperties },
      }).toEqual({
        type,
        body: { props: ['type', 'timestamp', 'data'], type, closed: false },
      });
      expect({ type, answers: Object.keys(op.responses).sort() }).toEqual({ type, answers: ['2XX', '410', '429', '5XX', 'default'] });
      expect(op.responses['410'].description).toMatch(/switches callbacks off/);
    }
    // The reply's hint comes with its key, values and follow-up, as an attempt's does.
    const reply = doc.components.schemas.CallbackReply as any;
    expect(reply.properties.hintKey.enum).toEqual([...HINT_KEYS]);
    expect(reply.properties.hintThen.enum).toEqual([...HINT_THENS]);
  });

  it('is the document the e2e callback receivers check every callback against (support/callback-bodies.ts)', () => {
    expect(JSON.parse(JSON.stringify(apiOpenApiDocument(PROVIDERS)))).toEqual(doc);
  });

  it('has examples that validate against their own schemas (request bodies and answers)', () => {
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc as object, 'doc');
    let checked = 0;
    const check = (schema: object, example: unknown, where: string) => {
      const v = ajv.compile({ allOf: [rebase(schema)] });
      expect({ where, errors: v(example) ? null : ajv.errorsText(v.errors) }).toEqual({ where, errors: null });
      checked++;
    };
    for (const [p, ops] of Object.entries(doc.paths))
      for (const [method, op] of Object.entries(ops)) {
        const body = op.requestBody?.content['application/json'];
        if (body?.example !== undefined) check(body.schema, body.example, `${method} ${p} request`);
        for (const [status, r] of Object.entries(op.responses as Record<string, any>)) {
          const json = r.content?.['application/json'];
          if (json?.example !== undefined) check(json.schema, json.example, `${method} ${p} ${status}`);
        }
      }
    for (const [type, hook] of Object.entries(doc.webhooks)) {
      const body = hook.post.requestBody.content['application/json'];
      if (body.example !== undefined) check(body.schema, body.example, `the ${type} callback`);
    }
    expect(checked).toBeGreaterThan(19);
  });

  it('is linked from the README', () => {
    const readme = fs.readFileSync(path.join(__dirname, '..', 'README.md'), 'utf8');
    expect(readme).toMatch(/GET \/v1\/openapi\.json/);
  });
});

/** A `$ref: '#/components/...'` of the document, resolved against the document added as `doc`. */
function rebase(schema: object): object {
  return JSON.parse(JSON.stringify(schema).replace(/"\$ref":"#\//g, '"$ref":"doc#/'));
}
