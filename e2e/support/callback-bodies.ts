import { apiOpenApiDocument } from '@mailroom/api';
import { CallbackReceiver, Script, startCallbackReceiver as startReceiver } from '@mailroom/testkit';
import { PROVIDERS } from '@mailroom/transports';
import Ajv2020, { ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';

type Parameter = { name: string; in: string; required?: boolean; schema: object };
type Webhook = { post: { parameters: Parameter[] } };
type OpenApi = { webhooks?: Record<string, Webhook> };

const DOC_ID = 'mailroom-openapi';
const pointer = (...parts: string[]) => '#/' + parts.map((p) => p.replace(/~/g, '~0').replace(/\//g, '~1')).join('/');

/**
 * Checks every callback the e2e tests' receivers get against the API's OpenAPI document, as
 * openapi-answers.ts checks every answer: the document must have a webhook for its `type`, the body
 * must validate against that webhook's schema and each header against its parameter (ajv, JSON Schema
 * 2020-12, formats checked). The document is the one GET /v1/openapi.json serves (apiOpenApiDocument,
 * with the built-in providers; e2e/openapi.test.ts checks that they are the same): the receivers start
 * before the apps, so it is built here rather than fetched.
 */
export class CallbackBodies {
  private readonly ajv = new Ajv2020({ strict: false, allErrors: true });
  private readonly validators = new Map<string, ValidateFunction>();

  constructor(private readonly doc: OpenApi) {
    addFormats(this.ajv);
    this.ajv.addSchema(doc as object, DOC_ID);
  }

  /** Throws, saying what differs, when the callback is not one the document describes. */
  check({ headers, payload }: { headers: Record<string, string>; payload: unknown }): void {
    const type = (payload as { type?: unknown } | null)?.type;
    const webhook = typeof type === 'string' ? this.doc.webhooks?.[type] : undefined;
    if (!webhook) throw new Error(`the OpenAPI document has no webhook for a callback of type ${JSON.stringify(type)}`);
    const at = (...rest: string[]) => pointer('webhooks', type as string, 'post', ...rest);
    webhook.post.parameters.forEach((p, i) => {
      if (p.in !== 'header') return;
      const value = headers[p.name.toLowerCase()];
      if (value === undefined) {
        if (p.required) throw new Error(`${type}: no ${p.name} header, which the OpenAPI document requires`);
        return;
      }
      this.validate(at('parameters', String(i), 'schema'), `${type}'s ${p.name} header`, value);
    });
    this.validate(at('requestBody', 'content', 'application/json', 'schema'), `${type}'s body`, payload);
  }

  private validate(at: string, what: string, value: unknown): void {
    let validate = this.validators.get(at);
    if (!validate) {
      validate = this.ajv.compile({ $ref: DOC_ID + at });
      this.validators.set(at, validate);
    }
    if (validate(value)) return;
    const errors = this.ajv.errorsText(validate.errors, { separator: '; ', dataVar: 'value' });
    throw new Error(`${what}, not as the OpenAPI document says (${at}): ${errors}; value: ${JSON.stringify(value)?.slice(0, 800)}`);
  }
}

let shared: CallbackBodies | undefined;
const callbackBodies = () => (shared ??= new CallbackBodies(apiOpenApiDocument(PROVIDERS) as OpenApi));

/**
 * The testkit's callback receiver with every request checked against the OpenAPI document's webhooks:
 * one that does not match fails the test (the receiver throws on the next read of what it got, and on
 * close). The e2e tests start their receivers with this one (the lint refuses the testkit's there).
 */
export function startCallbackReceiver(secrets: string[], script?: Script): Promise<CallbackReceiver> {
  const bodies = callbackBodies();
  return startReceiver(secrets, script, { check: (request) => bodies.check(request) });
}
