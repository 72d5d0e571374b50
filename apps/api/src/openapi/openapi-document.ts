import { addressSchema, emailAddressSchema } from '@mailroom/domain';
import { z } from 'zod';
import { errorBodySchema } from '../http/http-error';
import type { AnswerDoc, RouteAuth, RouteDoc, WebhookDoc } from './route-doc';

/**
 * The OpenAPI 3.1 document of the /v1 routes (decision 0031), generated from the route docs
 * (routes/route-docs.ts) with zod's own JSON Schema output: request schemas as the API reads them
 * (`io: 'input'`: defaults optional, coercions as received), answers as it writes them. The callbacks
 * Mailroom posts to the platform are its `webhooks` (openapi/callback-webhooks.ts), their bodies
 * written like answers.
 */

type JsonSchema = Record<string, unknown>;
const COMPONENTS = '#/components/schemas/';

/** Errors every /v1 route may answer besides its own (the HTTP layer's, authentication's). */
const EVERY_ROUTE: Record<number, string> = {
  400: 'The request is not valid: `invalid_request` with `details` naming each field, or `malformed_json`, `malformed_url`, `bad_request`.',
  500: 'Something went wrong on our side; it has been logged (`internal`).',
};
const WITH_A_TOKEN: Record<number, string> = {
  401: 'No Bearer token (`unauthenticated`), or one that is unknown, forged or expired (`invalid_token`).',
};
const TENANT_ROUTE: Record<number, string> = { 403: 'This token does not reach this tenant (`forbidden`).' };
const WITH_A_BODY: Record<number, string> = {
  413: 'The body is larger than allowed (`payload_too_large`).',
  415: 'The body is in a Content-Encoding or charset the API does not read (`unsupported_encoding`).',
};

const ERROR_EXAMPLES: Record<number, unknown> = {
  400: {
    error: {
      code: 'invalid_request',
      message: 'subject: is required',
      details: [{ field: 'subject', message: 'is required' }],
    },
  },
  401: { error: { code: 'unauthenticated', message: 'send Authorization: Bearer <platform key or tenant token>' } },
  403: { error: { code: 'forbidden', message: 'this token is for another tenant' } },
  404: { error: { code: 'tenant_not_found', message: 'tenant acme does not exist: create it with PUT /v1/tenants/acme' } },
};

const SECURITY: Record<RouteAuth, Record<string, string[]>[]> = {
  none: [],
  platform: [{ platformKey: [] }],
  platformOrTenant: [{ platformKey: [] }, { tenantToken: [] }],
};

/** `/v1/tenants/:tenantId` -> `/v1/tenants/{tenantId}`. */
export const openApiPath = (expressPath: string): string => expressPath.replace(/:(\w+)/g, '{$1}');

/**
 * The API accepts an address as `"a@b.c"` or `{ email, name }`; zod's input side of its preprocess
 * only shows the object, so the string form (the same address schema) is added beside it.
 */
function inputOverrides(ctx: { zodSchema: unknown; jsonSchema: JsonSchema }): void {
  if (ctx.zodSchema !== addressSchema) return;
  const objectForm = { ...ctx.jsonSchema };
  for (const key of Object.keys(ctx.jsonSchema)) delete ctx.jsonSchema[key];
  ctx.jsonSchema.anyOf = [bare(z.toJSONSchema(emailAddressSchema, { io: 'input', target: 'draft-2020-12' })), objectForm];
}

/** A JSON Schema as a component or inline in the document: no `$schema`/`$id` of its own. */
function bare(schema: object): JsonSchema {
  const { $schema: _s, $id: _i, ...rest } = schema as JsonSchema;
  return rest;
}

/** zod schemas named once, then generated together so that one used inside another becomes a $ref. */
class ComponentSet {
  private readonly names = new Map<z.ZodType, string>();
  private readonly taken = new Set<string>();
  constructor(private readonly io: 'input' | 'output') {}

  ref(schema: z.ZodType, name: string): JsonSchema {
    let id = this.names.get(schema);
    if (!id) {
      id = name;
      for (let n = 2; this.taken.has(id); n++) id = `${name}${n}`;
      this.names.set(schema, id);
      this.taken.add(id);
    }
    return { $ref: COMPONENTS + id };
  }

  generate(): Record<string, JsonSchema> {
    const registry = z.registry<{ id: string }>();
    for (const [schema, id] of this.names) registry.add(schema, { id });
    const out = z.toJSONSchema(registry, {
      io: this.io,
      target: 'draft-2020-12',
      uri: (id) => COMPONENTS + id,
      ...(this.io === 'input' ? { override: inputOverrides } : {}),
    });
    return Object.fromEntries(Object.entries(out.schemas).map(([id, s]) => [id, bare(s)]));
  }
}

const capital = (s: string) => s[0].toUpperCase() + s.slice(1);

function parameters(route: RouteDoc): JsonSchema[] {
  const out: JsonSchema[] = [];
  const add = (schema: z.ZodType | undefined, where: 'path' | 'query') => {
    if (!schema) return;
    const json = z.toJSONSchema(schema, { io: 'input', target: 'draft-2020-12' }) as JsonSchema;
    const required = new Set((json.required as string[] | undefined) ?? []);
    for (const [name, prop] of Object.entries((json.properties as Record<string, JsonSchema>) ?? {})) {
      const { description, ...rest } = prop;
      out.push({
        name,
        in: where,
        required: where === 'path' || required.has(name),
        ...(description ? { description } : {}),
        schema: rest,
      });
    }
  };
  add(route.params, 'path');
  add(route.query, 'query');
  for (const [name, h] of Object.entries(route.headers ?? {}))
    out.push({ name, in: 'header', required: false, description: h.description, schema: bare(z.toJSONSchema(h.schema, { io: 'input' })) });
  return out;
}

function answer(a: AnswerDoc, schemaRef: JsonSchema | undefined): JsonSchema {
  return {
    description: a.description,
    ...(a.headers
      ? { headers: Object.fromEntries(Object.entries(a.headers).map(([n, d]) => [n, { description: d, schema: { type: 'string' } }])) }
      : {}),
    ...(schemaRef
      ? { content: { 'application/json': { schema: schemaRef, ...(a.example !== undefined ? { example: a.example } : {}) } } }
      : {}),
  };
}

/** A webhook's POST: the headers and body Mailroom sends, and what it does with each answer. */
function webhookOperation(w: WebhookDoc, answers: ComponentSet): JsonSchema {
  for (const [name, part] of Object.entries(w.body.parts ?? {})) answers.ref(part, name);
  return {
    operationId: w.operationId,
    summary: w.summary,
    description: w.description,
    tags: [w.tag],
    // Not the API's Bearer schemes: the platform checks `webhook-signature` instead.
    security: [],
    parameters: Object.entries(w.headers).map(([name, h]) => ({
      name,
      in: 'header',
      required: true,
      description: h.description,
      schema: bare(z.toJSONSchema(h.schema, { io: 'output', target: 'draft-2020-12' })),
    })),
    requestBody: {
      required: true,
      content: {
        'application/json': {
          schema: answers.ref(w.body.schema, w.body.name),
          ...(w.body.example !== undefined ? { example: w.body.example } : {}),
        },
      },
    },
    responses: Object.fromEntries(Object.entries(w.answers).map(([status, description]) => [status, { description }])),
  };
}

export interface OpenApiOptions {
  /** The API's version as the document states it. */
  version: string;
  /** The callbacks Mailroom posts to the platform, under `webhooks`. */
  webhooks?: WebhookDoc[];
}

/** The OpenAPI 3.1 document of these routes. */
export function openApiDocument(routes: RouteDoc[], options: OpenApiOptions): JsonSchema {
  const requests = new ComponentSet('input');
  const answers = new ComponentSet('output');
  const errorRef = answers.ref(errorBodySchema, 'Error');
  const paths: Record<string, Record<string, JsonSchema>> = {};

  for (const route of routes) {
    const op = capital(route.operationId);
    const errors: Record<number, string> = {
      ...EVERY_ROUTE,
      ...(route.auth === 'none' ? {} : WITH_A_TOKEN),
      ...(route.params?.shape.tenantId ? TENANT_ROUTE : {}),
      ...(route.body ? WITH_A_BODY : {}),
      ...route.errors,
    };
    const responses: Record<string, JsonSchema> = {};
    for (const [status, a] of Object.entries(route.answers))
      responses[status] = answer(a, a.schema ? answers.ref(a.schema, a.name ?? `${op}${status}`) : undefined);
    for (const [status, description] of Object.entries(errors))
      responses[status] = answer({ description, example: ERROR_EXAMPLES[Number(status)] }, errorRef);

    const operation: JsonSchema = {
      operationId: route.operationId,
      summary: route.summary,
      ...(route.description ? { description: route.description } : {}),
      tags: [route.tag],
      security: SECURITY[route.auth],
      parameters: parameters(route),
      ...(route.body
        ? {
            requestBody: {
              required: route.body.required,
              ...(route.body.description ? { description: route.body.description } : {}),
              content: {
                'application/json': {
                  schema: requests.ref(route.body.schema, route.body.name ?? `${op}Body`),
                  ...(route.body.example !== undefined ? { example: route.body.example } : {}),
                },
              },
            },
          }
        : {}),
      responses: Object.fromEntries(Object.entries(responses).sort(([a], [b]) => Number(a) - Number(b))),
    };
    (paths[openApiPath(route.path)] ??= {})[route.method] = operation;
  }

  const webhooks = options.webhooks ?? [];
  const webhookItems = Object.fromEntries(webhooks.map((w) => [w.name, { post: webhookOperation(w, answers) }]));

  const requestSchemas = requests.generate();
  const answerSchemas = answers.generate();
  const clash = Object.keys(requestSchemas).find((id) => id in answerSchemas);
  if (clash) throw new Error(`the OpenAPI component ${clash} names both a request and an answer schema`);

  return {
    openapi: '3.1.1',
    info: {
      title: 'Mailroom API',
      version: options.version,
      description:
        "Sends an invoicing platform's documents by email through each tenant's chosen transport, with an honest history. " +
        'Every error answers `{ "error": { "code", "message", "details"? } }`: `code` is stable, `message` says what to fix. ' +
        'The ops routes (/ops/*, the ops token) and the health and metrics endpoints are not part of /v1 and not described here. ' +
        'The status callbacks Mailroom posts to the platform (CALLBACK_URL, signed per Standard Webhooks) are the `webhooks`.',
    },
    tags: [...new Set([...routes.map((r) => r.tag), ...webhooks.map((w) => w.tag)])].map((name) => ({ name })),
    security: [{ platformKey: [] }],
    paths,
    ...(webhooks.length ? { webhooks: webhookItems } : {}),
    components: {
      securitySchemes: {
        platformKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A platform API key (API_KEYS): reaches every tenant, and alone creates tenants and mints tenant tokens.',
        },
        tenantToken: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'mrt_<signed claims>',
          description: "A tenant token (POST /v1/tenants/{tenantId}/tokens): reaches its own tenant's routes only, until it expires.",
        },
      },
      schemas: { ...requestSchemas, ...answerSchemas },
    },
  };
}
