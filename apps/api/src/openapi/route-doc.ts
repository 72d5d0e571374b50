import type { z } from 'zod';

/**
 * How a route is described in the OpenAPI document (decision 0031): the same zod schemas the route
 * validates with and answers with, its authorization and its answers. routes/route-docs.ts declares
 * one per /v1 route; openapi-document.ts turns them into OpenAPI 3.1.
 */

/** Who may call: nobody needs a token; a platform API key only; a platform key or the tenant's own token. */
export type RouteAuth = 'none' | 'platform' | 'platformOrTenant';

export type HttpMethod = 'get' | 'put' | 'post' | 'delete';

export interface AnswerDoc {
  description: string;
  /** The JSON body; absent: no body (204). */
  schema?: z.ZodType;
  /** Its name in components.schemas when several answers share it (default: operation and status). */
  name?: string;
  example?: unknown;
  /** Response headers: name -> description. */
  headers?: Record<string, string>;
}

export interface RouteDoc {
  method: HttpMethod;
  /** The Express path (`/v1/tenants/:tenantId`), as the route is mounted. */
  path: string;
  operationId: string;
  summary: string;
  description?: string;
  tag: string;
  auth: RouteAuth;
  /** A strict object of the path's parameters. */
  params?: z.ZodObject;
  /** A strict object of the query parameters (one parameter per property). */
  query?: z.ZodType;
  /** Request headers the route reads: name -> zod schema and description. */
  headers?: Record<string, { schema: z.ZodType; description: string }>;
  body?: { schema: z.ZodType; name?: string; required: boolean; description?: string; example?: unknown };
  /** The success answers by status. */
  answers: Record<number, AnswerDoc>;
  /** The error statuses of this route, besides the ones every route may answer (openapi-document.ts). */
  errors: Record<number, string>;
}

/**
 * A request Mailroom makes to the platform (a status callback), described under the document's
 * `webhooks` (OpenAPI 3.1): openapi/callback-webhooks.ts declares one per callback type.
 */
export interface WebhookDoc {
  /** Its key under `webhooks`: the callback's type. */
  name: string;
  operationId: string;
  summary: string;
  description: string;
  tag: string;
  /** The request headers Mailroom sends, every one always: name -> zod schema and description. */
  headers: Record<string, { schema: z.ZodType; description: string }>;
  /**
   * The JSON body as Mailroom writes it, named `name` in components.schemas; `parts` are schemas inside
   * it that get a name of their own (shared by several webhooks).
   */
  body: { schema: z.ZodType; name: string; parts?: Record<string, z.ZodType>; example?: unknown };
  /** What the platform may answer (a status, a range such as `2XX`, or `default`) -> what Mailroom does then. */
  answers: Record<string, string>;
}
