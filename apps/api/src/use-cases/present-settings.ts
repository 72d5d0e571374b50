import type { EmailSettings, SettingsWarning } from '@mailroom/domain';
import { hintKeyFields, SENDING_LIMIT_FIELDS, SENDING_MODES } from '@mailroom/domain';
import { lastFailureWarnings, presentLimits, presentSettingsPart, ProviderRegistry, settingsPartWarnings } from '@mailroom/transports';
import { z } from 'zod';
import { isoTime } from '../openapi/answer-fields';

const limitFigures = z.strictObject({
  perMinute: z.number().int().optional(),
  perHour: z.number().int().optional(),
  perDay: z.number().int().optional(),
});
const limitWindow = z
  .strictObject({ value: z.number().int(), from: z.enum(['preset', 'tenant']), maximum: z.number().int().optional() })
  .nullable();

/** The settings answer's `limits` (presentLimits, decision 0030): null in platform mode. */
export const limitsViewSchema = z
  .strictObject({
    ...(Object.fromEntries(SENDING_LIMIT_FIELDS.map((f) => [f, limitWindow])) as Record<
      (typeof SENDING_LIMIT_FIELDS)[number],
      typeof limitWindow
    >),
    own: limitFigures,
    preset: z
      .strictObject({
        label: z.string(),
        defaults: limitFigures,
        maximum: limitFigures,
        sources: z.array(z.string()),
        note: z.string().optional(),
      })
      .nullable(),
  })
  .nullable();

/** The values of a `last_send_failed` warning: the settings' last permanent failure, as recorded. */
const warnedFailureSchema = z
  .strictObject({
    at: isoTime.meta({ description: 'When the send failed.' }),
    code: z.string().meta({ description: "The failure's code (`EAUTH`, `http_401`...)." }),
    hint: z.string().optional().meta({ description: 'What to do about it, in English.' }),
    ...hintKeyFields,
  })
  .meta({ description: 'On `last_send_failed`: the values its `message` says, for a screen that words them in its own language.' });

export const settingsWarningSchema = z.strictObject({ code: z.string(), message: z.string(), failure: warnedFailureSchema.optional() });

/** Why a provider webhook is not registered: in English (`error`), and by the key of its advice. */
const webhookViewSchema = z.strictObject({
  url: z.string(),
  registered: z.boolean(),
  error: z.string().optional().meta({ description: 'Why the last registration failed, with what to do, in English.' }),
  hintKey: hintKeyFields.hintKey.meta({
    description: "The stable key of `error`'s advice, for a screen in another language (absent on records older than the keys).",
  }),
  hintParams: hintKeyFields.hintParams.meta({ description: "The values the advice's words embed (a domain, a number of webhooks)." }),
  hintThen: hintKeyFields.hintThen,
  lastEventAt: isoTime.nullable(),
  hasVerificationKey: z.boolean(),
});

/**
 * What presentSettings answers; `smtp` and `provider` are the modules' own (their `presented`
 * schemas), so the schema is the registry's.
 */
export function settingsViewSchema(registry: ProviderRegistry) {
  const parts = registry.presentedPartSchemas();
  const address = z.strictObject({ email: z.string(), name: z.string().optional() });
  return z.strictObject({
    mode: z.enum(SENDING_MODES),
    senderName: z.string(),
    replyTo: z.string().nullable(),
    cc: z.array(address),
    bcc: z.array(address),
    version: z.number().int(),
    updatedAt: isoTime.nullable(),
    smtp: parts.smtp.optional(),
    provider: parts.provider.optional(),
    webhook: webhookViewSchema.optional(),
    limits: limitsViewSchema,
    warnings: z.array(settingsWarningSchema),
  });
}

/** The settings as the API shows them: each module shows its own part, every secret replaced by whether it is set. */
export function presentSettings(registry: ProviderRegistry, s: EmailSettings, extraWarnings: SettingsWarning[] = []) {
  return {
    mode: s.mode,
    senderName: s.senderName,
    replyTo: s.replyTo ?? null,
    cc: s.cc,
    bcc: s.bcc,
    version: s.version,
    updatedAt: s.updatedAt,
    ...presentSettingsPart(registry, s),
    // presentLimits builds its windows with Object.fromEntries, which TypeScript cannot key: the e2e tests check it against the schema.
    limits: presentLimits(registry, s) as z.input<typeof limitsViewSchema>,
    warnings: [...settingsPartWarnings(registry, s), ...lastFailureWarnings(registry, s), ...extraWarnings],
  };
}
