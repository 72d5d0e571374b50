import { z } from 'zod';
import { typeError } from './input-errors';
import { Address, addressSchema, emailAddressSchema, headerSafeString } from './address';
import { SendingLimits, sendingLimitsSchema } from './sending-limits';
import type { RecordedHint } from './hint-not-retried';

/**
 * A tenant's email settings, provider-independent. The sending modes are the product's (plans gate
 * `smtp`); what each mode's transport stores under `smtp` or `provider` belongs to its module
 * (packages/transports/src/<name>/: schema, secrets, presentation), so the domain knows only what
 * every one of them has: the address emails go out from.
 */
export const SENDING_MODES = ['platform', 'smtp', 'provider'] as const;
export type SendingMode = (typeof SENDING_MODES)[number];

/** The name of a provider module (`sendgrid`...): the registry in packages/transports says which exist. */
export type ProviderName = string;

/** An encrypted secret as stored: `keyId:iv:tag:ciphertext` (see @mailroom/security). Never leaves the store unencrypted except inside a worker. */
export type SealedSecret = string;

/** What every transport's stored settings have; the rest is its module's own (secrets sealed). */
export interface TransportSettings {
  fromAddress: string;
  readonly [field: string]: unknown;
}

/**
 * A provider webhook's registration: `error` says in English why it failed (for the API's callers and
 * older records); `hintKey`/`hintParams`/`hintThen`, when present, say the same by key, for a screen in
 * its reader's language.
 */
export interface WebhookState extends Omit<RecordedHint, 'hint'> {
  url: string;
  registered: boolean;
  error?: string;
  lastEventAt?: string;
  /** The key the provider signs with, or the Basic password we generated (sealed under WEBHOOK_KEY_FIELD). */
  verificationKey?: SealedSecret;
  basicUser?: string;
  /** The provider's id of the webhook registered for this tenant (SendGrid: one of the account's several Event Webhooks). */
  providerWebhookId?: string;
}

/** `provider` mode: the module named `name` reads the rest. */
export interface ProviderSettings extends TransportSettings {
  name: ProviderName;
  webhook?: WebhookState;
}

export interface EmailSettings {
  tenantId: string;
  /** Bumped on every PUT: the worker's transport cache is keyed on it. */
  version: number;
  mode: SendingMode;
  senderName: string;
  replyTo?: string;
  cc: Address[];
  bcc: Address[];
  /** `smtp` mode: the tenant's own server, as the smtp module stores it. */
  smtp?: TransportSettings;
  provider?: ProviderSettings;
  /**
   * `smtp` and `provider` modes: the tenant's own sending limits, at most the preset's (decision 0030).
   * Absent: the preset's defaults alone. Platform mode has none (the platform's relay is ours to pace).
   */
  limits?: SendingLimits;
  /** The last permanent transport failure (rejected login, sender refused), with its hint and key; cleared by the next success or save. */
  lastFailure?: { at: string; code: string; response?: string; responseCode?: number } & RecordedHint;
  /**
   * The plan fallback the platform was told about (`settings.failing`, reason `plan_fallback`): set by
   * the worker at the first send of an episode, cleared by its first send without the fallback or a save.
   */
  planFallback?: { plan: string; since: string };
  updatedAt: string;
}

/** The stored part of the settings a mode keeps its transport's settings under (`platform` has none). */
export type SettingsPartKey = 'smtp' | 'provider';
export const settingsPartKey = (mode: SendingMode): SettingsPartKey | undefined =>
  mode === 'smtp' ? 'smtp' : mode === 'provider' ? 'provider' : undefined;

/** The transport settings of the settings' mode (`smtp` or `provider`), or undefined (platform). */
export function settingsPartOf(s: Pick<EmailSettings, 'mode' | 'smtp' | 'provider'>): TransportSettings | ProviderSettings | undefined {
  const key = settingsPartKey(s.mode);
  return key ? s[key] : undefined;
}

const addressList = (field: string) =>
  z
    .array(addressSchema, { error: typeError(field, `${field} must be an array of addresses`) })
    .max(50, `${field} has more than 50 addresses`)
    .default([]);

/** A settings part as its module's schema parsed it. */
export type SettingsPartInput = { [field: string]: unknown };
export type ProviderSettingsInput = SettingsPartInput & { name: ProviderName; fromAddress: string; webhookVerificationKey?: string };

/** The schemas of the parts, from the registry of transport modules. */
export interface SettingsPartSchemas {
  smtp: z.ZodType<SettingsPartInput, unknown>;
  provider: z.ZodType<ProviderSettingsInput, unknown>;
}

export interface EmailSettingsInput {
  mode: SendingMode;
  senderName: string;
  replyTo?: string;
  cc: Address[];
  bcc: Address[];
  smtp?: SettingsPartInput;
  provider?: ProviderSettingsInput;
  limits?: SendingLimits;
}

/** The body of a settings PUT: the common fields here, each part validated by its module's schema. */
export function emailSettingsInputSchema(parts: SettingsPartSchemas): z.ZodType<EmailSettingsInput, unknown> {
  return z
    .strictObject({
      mode: z.enum(SENDING_MODES, { error: `mode must be one of ${SENDING_MODES.join(', ')}` }),
      senderName: headerSafeString('senderName', 200).trim().min(1, 'senderName is required'),
      replyTo: emailAddressSchema.optional(),
      cc: addressList('cc'),
      bcc: addressList('bcc'),
      smtp: parts.smtp.optional(),
      provider: parts.provider.optional(),
      limits: sendingLimitsSchema.optional(),
    })
    .superRefine((s, ctx) => {
      if (s.mode === 'smtp' && !s.smtp) ctx.addIssue({ code: 'custom', path: ['smtp'], message: 'smtp is required when mode is "smtp"' });
      if (s.mode === 'provider' && !s.provider)
        ctx.addIssue({ code: 'custom', path: ['provider'], message: 'provider is required when mode is "provider"' });
      if (s.mode === 'platform' && !s.replyTo)
        ctx.addIssue({ code: 'custom', path: ['replyTo'], message: 'replyTo is required in platform mode: replies must reach the tenant' });
      if (s.mode === 'platform' && s.limits)
        ctx.addIssue({
          code: 'custom',
          path: ['limits'],
          message: 'limits apply to modes "smtp" and "provider" only: the platform paces its own relay. Leave limits out in platform mode.',
        });
    });
}
