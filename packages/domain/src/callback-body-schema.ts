import { z } from 'zod';
import { hintKeyFields } from './hint-key-fields';
import { SENDING_MODES } from './settings';
import { RECIPIENT_STATUSES, RecipientStatus } from './status';
import { SUPPRESSION_REASONS } from './suppression';

/**
 * The body of every status callback Mailroom posts to the platform, as zod schemas: the one statement
 * of it. The types the callbacks are built with (callback-events.ts) are these schemas' output, and the
 * API's OpenAPI document describes the callbacks under `webhooks` from them (decision 0031).
 */

/** The events Mailroom tells the platform about. */
export const CALLBACK_EVENT_TYPES = [
  'email.accepted',
  'email.deferred',
  'email.delivered',
  'email.opened',
  'email.bounced',
  'email.complained',
  'email.failed',
  'email.suppressed',
  'email.canceled',
  'settings.failing',
] as const;
export type CallbackEventType = (typeof CALLBACK_EVENT_TYPES)[number];
export type EmailCallbackType = Exclude<CallbackEventType, 'settings.failing'>;

/** The recipient's status after each email.* callback (`dropped`, a provider's drop, comes as `email.failed`). */
export const EMAIL_CALLBACK_STATUSES = {
  'email.accepted': ['accepted'],
  'email.deferred': ['deferred'],
  'email.delivered': ['delivered'],
  'email.opened': ['opened'],
  'email.bounced': ['bounced'],
  'email.complained': ['complained'],
  'email.failed': ['failed', 'dropped'],
  'email.suppressed': ['suppressed'],
  'email.canceled': ['canceled'],
} as const satisfies Record<EmailCallbackType, readonly [RecipientStatus, ...RecipientStatus[]]>;

export const SETTINGS_FAILING_REASONS = [
  'login_rejected',
  'provider_key_rejected',
  'provider_sender_rejected',
  'provider_access_denied',
  'oauth_reconnect_required',
  'plan_fallback',
] as const;
export type SettingsFailingReason = (typeof SETTINGS_FAILING_REASONS)[number];

/** A time as Mailroom writes it: `Date#toISOString()` (UTC, milliseconds). */
const isoTime = z.string().meta({ format: 'date-time' });

/** What the server or provider said, for failures, deferrals and bounces; and what to do about it. */
export const callbackReplySchema = z
  .strictObject({
    code: z
      .string()
      .optional()
      .meta({ description: 'Our error code when an attempt failed (`EAUTH`, `http_401`, `sender_not_verified`...).' }),
    responseCode: z
      .number()
      .int()
      .optional()
      .meta({ description: "The SMTP reply code (`550`), or the HTTP status of a provider's API error." }),
    response: z.string().optional().meta({ description: "The server's or provider's own words." }),
    statusCode: z
      .string()
      .optional()
      .meta({ description: 'The SMTP enhanced status code of a bounce or a rejection (`"5.1.1"`), when the server gave one.' }),
    hint: z.string().optional().meta({ description: 'What to do about it, in English.' }),
    ...hintKeyFields,
  })
  .meta({ description: 'What the server or provider said, and what to do about it. Only the fields that have a value are sent.' });
export type CallbackReply = z.output<typeof callbackReplySchema>;

const documentRefSchema = z.strictObject({ type: z.string(), id: z.string(), number: z.string().optional() });

const EMAIL_DATA =
  "One recipient's change (one email to three recipients gives three callbacks). Never a body, an attachment, a subject or a secret.";

/** The `data` of every `email.*` callback: one recipient's change (an email-level open has no recipient). */
export const emailCallbackDataSchema = z
  .strictObject({
    tenantId: z.string(),
    emailId: z.string(),
    document: documentRefSchema.optional().meta({ description: 'The document the platform gave at enqueue.' }),
    recipient: z.string().optional().meta({
      description:
        'The recipient whose status changed. Absent only on the email-level `email.opened` (our open pixel in an email with several recipients).',
    }),
    status: z.enum(RECIPIENT_STATUSES).meta({ description: "The recipient's status after this event." }),
    emailStatus: z
      .enum(RECIPIENT_STATUSES)
      .meta({ description: "The email's own status after this event: `suppressed` when every recipient was." }),
    test: z.boolean().meta({ description: 'A test email (POST .../email-settings/test).' }),
    reply: callbackReplySchema.optional().meta({ description: '`email.deferred`, `email.failed`, `email.bounced`, `email.complained`.' }),
    bounceType: z.enum(['hard', 'soft']).optional().meta({ description: '`email.bounced`: when the provider says which.' }),
    suppression: z
      .strictObject({ reason: z.enum(SUPPRESSION_REASONS), since: isoTime })
      .optional()
      .meta({ description: "`email.suppressed`: why the address is on the tenant's suppression list, and since when." }),
  })
  .meta({ description: EMAIL_DATA });
export type EmailCallbackData = z.output<typeof emailCallbackDataSchema>;

/** The `data` of `settings.failing`. */
export const settingsFailingDataSchema = z
  .strictObject({
    tenantId: z.string(),
    reason: z.enum(SETTINGS_FAILING_REASONS).meta({
      description:
        "`login_rejected` (SMTP login refused), `provider_key_rejected` (the provider refused the API key: 401), `provider_sender_rejected` (the provider has not verified the From address as a sender; `reply.code` is `sender_not_verified`), `provider_access_denied` (any other 403: `reply.response` says why; SendGrid's key without the Mail Send permission fails the email at once with `reply.code` `missing_scope`, while a block of its account is retried meanwhile and this is told at the first refusal), `oauth_reconnect_required` (the mailbox connected with OAuth2 must be connected again), `plan_fallback` (the plan no longer allows its own server; it sends through the platform).",
    }),
    mode: z.enum(SENDING_MODES).meta({ description: "The tenant's sending mode." }),
    provider: z.string().optional().meta({ description: 'Mode `provider`: which one.' }),
    plan: z.string().optional().meta({ description: '`plan_fallback`: the plan that no longer allows the tenant its own server.' }),
    reply: callbackReplySchema.optional(),
  })
  .meta({ description: "The tenant's sending stopped working in a way only it can fix, or its route changed. Told once per episode." });
export type SettingsFailingData = z.output<typeof settingsFailingDataSchema>;

/** The body of every callback, exactly: the envelope's `key` and `orderKey` never travel. */
export const callbackBodySchema = z.strictObject({
  type: z.enum(CALLBACK_EVENT_TYPES),
  timestamp: isoTime.meta({ description: 'When Mailroom recorded the change.' }),
  data: z.union([emailCallbackDataSchema, settingsFailingDataSchema]),
});
export type CallbackBody = z.output<typeof callbackBodySchema>;

function bodyOf(type: CallbackEventType) {
  if (type === 'settings.failing') return callbackBodySchema.extend({ type: z.literal(type), data: settingsFailingDataSchema });
  // An email.* body: the email data, with the statuses this type tells (and a recipient but for an email-level open).
  const data = emailCallbackDataSchema
    .extend({
      status: z.enum(EMAIL_CALLBACK_STATUSES[type]).meta({ description: "The recipient's status after this event." }),
      ...(type === 'email.opened' ? {} : { recipient: z.string().meta({ description: 'The recipient whose status changed.' }) }),
    })
    .meta({ description: EMAIL_DATA });
  return callbackBodySchema.extend({ type: z.literal(type), data });
}

/** The body of each type of callback, as precisely as a schema says it (each fits `callbackBodySchema`). */
export const CALLBACK_BODY_SCHEMAS = Object.fromEntries(CALLBACK_EVENT_TYPES.map((t) => [t, bodyOf(t)])) as Record<
  CallbackEventType,
  ReturnType<typeof bodyOf>
>;
