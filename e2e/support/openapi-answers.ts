import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Operation = { responses: Record<string, { content?: Record<string, { schema: object }> }> };
type OpenApi = { paths: Record<string, Record<string, Operation>> };

const DOC_ID = 'mailroom-openapi';
const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks every answer of a /v1 route against the API's own OpenAPI document (GET /v1/openapi.json):
 * the route and status must be described, and a JSON body must validate against the document's
 * schema for that status (ajv, JSON Schema 2020-12, formats checked). The harness's `call` runs every
 * answer of the e2e tests through it, so an answer that drifts from the document fails its test.
 */
export class OpenApiAnswers {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();
  private readonly routes: { method: string; template: string; pattern: RegExp }[];

  constructor(private readonly doc: OpenApi) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, DOC_ID);
    this.routes = Object.entries(doc.paths).flatMap(([template, ops]) =>
      Object.keys(ops).map((method) => ({
        method,
        template,
        pattern: new RegExp('^' + template.replace(/[.]/g, '\\.').replace(/\{\w+\}/g, '[^/]+') + '$'),
      })),
    );
  }

  static async load(apiUrl: string): Promise<OpenApiAnswers> {
    const res = await fetch(`${apiUrl}/v1/openapi.json`);
    if (res.status !== 200) throw new Error(`GET /v1/openapi.json answered ${res.status}`);
    return new OpenApiAnswers((await res.json()) as OpenApi);
  }

  /** Throws, saying what differs, when the answer is not one the document describes. */
  check(method: string, urlPath: string, status: number, body: unknown, rawText: string): void {
    const path = urlPath.split('?')[0];
    const m = method.toLowerCase();
    if (!path.startsWith('/v1/') || m === 'head') return;
    const what = `${method} ${path} answered ${status}`;
    const route = this.routes.find((r) => r.method === m && r.pattern.test(path));
    if (!route) {
      // No such route: the router's 404 (or authentication's 401 before it), in the error shape.
      if (status < 400) throw new Error(`${what}, but the OpenAPI document has no ${method} route matching it`);
      return this.validate(pointer('components', 'schemas', 'Error'), what, body);
    }
    const answer = this.doc.paths[route.template][m].responses[String(status)];
    if (!answer) throw new Error(`${what}: the OpenAPI document does not describe status ${status} of ${method} ${route.template}`);
    const json = answer.content?.['application/json'];
    if (!json) {
      if (rawText !== '') throw new Error(`${what} with a body, but the document describes no body for it`);
      return;
    }
    this.validate(pointer('paths', route.template, m, 'responses', String(status), 'content', 'application/json', 'schema'), what, body);
  }

  private validate(at: string, what: string, body: unknown): void {
    let validate = this.validators.get(at);
    if (!validate) {
      validate = this.ajv.compile({ $ref: DOC_ID + at });
      this.validators.set(at, validate);
    }
    if (validate(body)) return;
    const errors = this.ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'body' });
    throw new Error(`${what}, not as the OpenAPI document says (${at}): ${errors}; body: ${JSON.stringify(body)?.slice(0, 800)}`);
  }
}
