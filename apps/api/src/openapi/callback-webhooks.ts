import {
  CALLBACK_ATTEMPTS,
  CALLBACK_MESSAGE_ID_PATTERN,
  CALLBACK_RETRY_DELAYS_MS,
  CALLBACK_SIGNATURE_PATTERN,
  CALLBACK_TIMEOUT_MS,
} from '@mailroom/callbacks';
import { CALLBACK_BODY_SCHEMAS, CALLBACK_EVENT_TYPES, CallbackBody, CallbackEventType, callbackReplySchema } from '@mailroom/domain';
import { z } from 'zod';
import type { WebhookDoc } from './route-doc';

/**
 * The status callbacks Mailroom posts to the platform's CALLBACK_URL (README "Status callbacks to the
 * platform", decision 0022), one webhook per callback type: the body is the domain's schema of it
 * (callback-body-schema.ts, the type the callbacks are built with), the headers and the answers those
 * of packages/callbacks (Standard Webhooks signing, the retry schedule, 410 switching callbacks off).
 */

/** The reply a refused SMTP login gives, as email.failed and settings.failing carry it. */
const LOGIN_REFUSED = {
  code: 'EAUTH',
  responseCode: 535,
  response: '535 5.7.8 Username and Password not accepted',
  hint: 'The server rejected the username or password: check both (the username is usually the full email address).',
  hintKey: 'smtp.badLogin',
} as const;
const WHEN: Record<CallbackEventType, { summary: string; description: string }> = {
  'email.accepted': { summary: 'A recipient was accepted', description: 'A recipient was accepted by the server or provider.' },
  'email.deferred': {
    summary: "A recipient's delivery was put off",
    description:
      "A recipient's delivery was put off; Mailroom keeps trying. Told when it becomes deferred, not again while it stays so. `reply` says what the server said and what to do.",
  },
  'email.delivered': { summary: 'The provider reports delivery', description: 'The provider reports delivery (provider mode).' },
  'email.opened': {
    summary: 'A person opened it',
    description:
      'A person opened it, never a machine (Apple Mail Privacy Protection, scanners): the first open of each recipient, or, for our open pixel in an email with several recipients, the first open of the email (no `recipient` then).',
  },
  'email.bounced': {
    summary: "The recipient's server bounced it",
    description:
      "The recipient's server bounced it: `bounceType` (`hard`, `soft`) and `reply`. The address goes on the tenant's suppression list.",
  },
  'email.complained': { summary: 'The recipient marked it as spam', description: 'The recipient marked it as spam.' },
  'email.failed': {
    summary: 'Failed for good, or dropped by the provider',
    description:
      'Failed for good (a permanent refusal, or the last attempt: `reply.hintThen` is `lastAttempt`), or dropped by the provider (`status: "dropped"`). `reply` says why.',
  },
  'email.suppressed': {
    summary: 'Not sent: the address is on the suppression list',
    description: "Not sent: the address is on the tenant's suppression list (`suppression: { reason, since }`).",
  },
  'email.canceled': { summary: 'Canceled before it was accepted', description: 'Canceled before it was accepted.' },
  'settings.failing': {
    summary: "The tenant's sending stopped working, or its route changed",
    description:
      "The tenant's sending stopped working in a way only it can fix, or its route changed (`reason`). Once per episode: the next failed email of the same kind says nothing, a success (or a save) ends the episode; the plan fallback is told at its first send and again only after it ended.",
  },
};

const HEADERS: WebhookDoc['headers'] = {
  'webhook-id': {
    schema: z.string().regex(CALLBACK_MESSAGE_ID_PATTERN),
    description:
      "The event's id: the same on every attempt of this event, and if it is ever published again. Delivery is at least once: drop repeats by it.",
  },
  'webhook-timestamp': {
    schema: z.string().regex(/^\d+$/),
    description:
      "This attempt's time in seconds since the Unix epoch, signed with the body: refuse one far from now (the Standard Webhooks libraries allow 5 minutes).",
  },
  'webhook-signature': {
    schema: z.string().regex(CALLBACK_SIGNATURE_PATTERN),
    description:
      '`v1,<base64 HMAC-SHA256 of "<webhook-id>.<webhook-timestamp>.<body>">`, keyed with the bytes after `whsec_` (base64-decoded) of the secret in CALLBACK_SECRETS; during a rotation one signature per secret, space-separated. Verify the raw body, before parsing it, with any Standard Webhooks library.',
  },
};

const duration = (ms: number) => (ms < 60_000 ? `${ms / 1000} s` : ms < 3_600_000 ? `${ms / 60_000} min` : `${ms / 3_600_000} h`);
const WAITS = CALLBACK_RETRY_DELAYS_MS.map(duration);
const SCHEDULE = `at once, then after ${WAITS.slice(0, -1).join(', ')} and ${WAITS[WAITS.length - 1]} (${CALLBACK_ATTEMPTS} attempts; each wait ±20 %, multiplied by CALLBACK_RETRY_SCALE), then given up`;

const ANSWERS: WebhookDoc['answers'] = {
  '2XX': `Received: any 2xx. Mailroom waits at most ${CALLBACK_TIMEOUT_MS / 1000} s for the answer and does not read its body: record the event and answer, do slow work after. The next event of the same email is sent once this one is delivered or given up.`,
  '410':
    'Gone: Mailroom switches callbacks off, for every tenant, until ops switch them on again (POST /ops/callbacks). Meanwhile events are kept, this one included, and go out in order once switched on.',
  '429': `Tried again, as a 5xx is: ${SCHEDULE}.`,
  '5XX': `Tried again with the same webhook-id and body (a new timestamp and signature): ${SCHEDULE}. No answer within the time, or a connection error, is tried again the same way.`,
  default:
    'Any other status (another 4xx, or a 3xx: redirects are not followed) is final for this event: it is not sent again. A signature that does not verify deserves a 400.',
};

const NOW = '2026-11-30T10:00:00.000Z';
const EMAIL = {
  tenantId: 'acme',
  emailId: 'em_01JDX4Q2ZK8V3M5N7P9R1T3W5Y',
  document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
  recipient: 'client@customer.example',
  test: false,
};
const EXAMPLES: Partial<Record<CallbackEventType, CallbackBody>> = {
  'email.accepted': { type: 'email.accepted', timestamp: NOW, data: { ...EMAIL, status: 'accepted', emailStatus: 'accepted' } },
  'email.bounced': {
    type: 'email.bounced',
    timestamp: NOW,
    data: {
      ...EMAIL,
      status: 'bounced',
      emailStatus: 'bounced',
      bounceType: 'hard',
      reply: { responseCode: 550, response: '550 5.1.1 The email account that you tried to reach does not exist', statusCode: '5.1.1' },
    },
  },
  'email.failed': {
    type: 'email.failed',
    timestamp: NOW,
    data: {
      ...EMAIL,
      status: 'failed',
      emailStatus: 'failed',
      reply: LOGIN_REFUSED,
    },
  },
  'settings.failing': {
    type: 'settings.failing',
    timestamp: NOW,
    data: {
      tenantId: 'acme',
      reason: 'login_rejected',
      mode: 'smtp',
      reply: LOGIN_REFUSED,
    },
  },
};

/** `email.accepted` -> `EmailAccepted`. */
const pascal = (type: string) => type.replace(/(^|\.)(\w)/g, (_m, _dot, c: string) => c.toUpperCase());

/** One webhook per callback type, in CALLBACK_EVENT_TYPES order. */
export function callbackWebhookDocs(): WebhookDoc[] {
  return CALLBACK_EVENT_TYPES.map((type) => ({
    name: type,
    operationId: `${pascal(type)[0].toLowerCase()}${pascal(type).slice(1)}Callback`,
    summary: `${type}: ${WHEN[type].summary}`,
    description: `${WHEN[type].description} Posted to CALLBACK_URL, signed (Standard Webhooks); the body is \`{ type, timestamp, data }\`, exactly.`,
    tag: 'callbacks',
    headers: HEADERS,
    body: {
      schema: CALLBACK_BODY_SCHEMAS[type],
      name: `${pascal(type)}Callback`,
      parts: { CallbackReply: callbackReplySchema },
      example: EXAMPLES[type],
    },
    answers: ANSWERS,
  }));
}
