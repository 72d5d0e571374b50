import {
  enqueueBatchResponseSchema,
  enqueueBatchSchema,
  enqueueEmailSchema,
  IDEMPOTENCY_KEY_PATTERN,
  MAX_BATCH_ITEMS,
  historyQuerySchema,
} from '@mailroom/domain';
import { z } from 'zod';
import type { RouteDoc } from '../../openapi/route-doc';
import { emailViewSchema, enqueueAnswerSchema, historyPageSchema, retryAnswerSchema } from '../email-views';
import { tenantParams, emailParams, exampleEnqueue, LOCATION } from './route-doc-examples';

/** Sending (one email or a batch), the history, cancel and retry. */
export function emailRouteDocs(): RouteDoc[] {
  return [
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails',
      operationId: 'enqueueEmail',
      summary: 'Send an email (queued; the answer comes before the send)',
      description: '`text` or `html` is required. The same Idempotency-Key with the same body answers the first email again.',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: tenantParams,
      headers: {
        'Idempotency-Key': {
          schema: z.string().regex(IDEMPOTENCY_KEY_PATTERN),
          description: 'Makes a retried request safe: 1-200 visible ASCII characters.',
        },
      },
      body: { schema: enqueueEmailSchema, required: true, example: exampleEnqueue },
      answers: {
        202: {
          description: 'Queued (or, every recipient suppressed, `status: "suppressed"` and nothing sent).',
          schema: enqueueAnswerSchema,
          example: { id: 'em_01JD3Q6X', status: 'queued' },
          headers: { ...LOCATION, 'Idempotent-Replayed': '`true` when this answers an earlier request with the same Idempotency-Key.' },
        },
      },
      errors: {
        404: 'No such tenant.',
        409: 'The Idempotency-Key was used with another body, or its first request is still running.',
        413: 'The attachments are larger than allowed.',
        503: 'The send queue (Redis) is unavailable; nothing was stored.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails/batch',
      operationId: 'enqueueEmailBatch',
      summary: `Send up to ${MAX_BATCH_ITEMS} emails in one request`,
      description:
        'Each item is an email body plus its own `idempotencyKey` (required). Each item succeeds or fails on its own: one result per item, in order; a replayed item answers `replayed: true`.',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: tenantParams,
      body: {
        schema: enqueueBatchSchema,
        required: true,
        example: { items: [{ idempotencyKey: 'inv_42-1', ...exampleEnqueue }] },
      },
      answers: {
        207: {
          description: "One result per item, in the items' order: the email's id and status, or the item's error.",
          schema: enqueueBatchResponseSchema,
          example: {
            results: [
              { index: 0, id: 'em_01JD3Q6X', status: 'queued' },
              { index: 1, error: { code: 'invalid_request', message: 'subject: is required' } },
            ],
          },
        },
      },
      errors: {
        404: 'No such tenant.',
        413: `More than ${MAX_BATCH_ITEMS} items (\`too_many_items\`), or a body larger than BATCH_MAX_BODY_BYTES (\`payload_too_large\`).`,
        415: 'A JSON body in another charset than UTF-8 (`unsupported_encoding`).',
        503: 'The batch could not be read (`batch_not_read`: the thread reading it stopped); nothing was stored: post it again.',
      },
    },
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/emails',
      operationId: 'listEmails',
      summary: 'The history, newest first (cursor pages)',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: tenantParams,
      query: historyQuerySchema,
      answers: {
        200: {
          description: 'A page of emails and the cursor of the next (null: last page).',
          schema: historyPageSchema,
          name: 'EmailPage',
        },
      },
      errors: { 404: 'No such tenant.' },
    },
    {
      method: 'get',
      path: '/v1/tenants/:tenantId/emails/:emailId',
      operationId: 'getEmail',
      summary: 'One email: status per recipient, attempts, events, opens',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: emailParams,
      answers: { 200: { description: 'The email.', schema: emailViewSchema, name: 'Email' } },
      errors: { 404: 'No such tenant or email.' },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails/:emailId/cancel',
      operationId: 'cancelEmail',
      summary: 'Cancel an email not accepted yet (queued or deferred)',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: emailParams,
      answers: {
        200: { description: 'The email as it now is (`canceled`, or already canceled).', schema: emailViewSchema, name: 'Email' },
      },
      errors: {
        404: 'No such tenant or email.',
        409: 'The email is being sent or past acceptance (`details.status`), or is a test email.',
        503: 'The send queue (Redis) is unavailable.',
      },
    },
    {
      method: 'post',
      path: '/v1/tenants/:tenantId/emails/:emailId/retry',
      operationId: 'retryEmail',
      summary: 'Send a failed email again',
      tag: 'emails',
      auth: 'platformOrTenant',
      params: emailParams,
      answers: {
        202: {
          description: 'Queued again.',
          schema: retryAnswerSchema,
          example: { id: 'em_01JD3Q6X', status: 'queued' },
          headers: LOCATION,
        },
      },
      errors: {
        404: 'No such tenant or email.',
        409: 'Only a failed email can be retried (`details.status`); a test email cannot.',
        410: 'The content is gone (retention): send a new email.',
        503: 'The send queue (Redis) is unavailable.',
      },
    },
  ];
}
