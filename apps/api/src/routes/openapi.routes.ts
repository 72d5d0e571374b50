import { Router } from 'express';
import { z } from 'zod';

/** What GET /v1/openapi.json answers: an OpenAPI 3.1 document (the test suite validates it against the OpenAPI schema itself). */
export const openApiAnswerSchema = z.looseObject({
  openapi: z.string().regex(/^3\.1\.\d+$/),
  info: z.looseObject({ title: z.string(), version: z.string() }),
  paths: z.record(z.string(), z.record(z.string(), z.unknown())),
  components: z.record(z.string(), z.unknown()),
});

/**
 * GET /v1/openapi.json, mounted before authentication: the document describes the API, holds no
 * tenant's data and no secret, and a client generator or a browser fetches it without a token.
 */
export function openApiRoutes(document: object): Router {
  const r = Router();
  const body = JSON.stringify(document);
  r.get('/v1/openapi.json', (_req, res) => {
    res.type('application/json').setHeader('Cache-Control', 'no-cache').send(body);
  });
  return r;
}
