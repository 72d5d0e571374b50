import { z } from 'zod';
import { typeError } from './input-errors';
import { Address, addressSchema, emailAddressSchema, headerSafeString } from './address';
import { PRESET_ENDPOINTS, SMTP_PRESETS, SmtpPreset } from './smtp-presets';

export const SENDING_MODES = ['platform', 'smtp', 'provider'] as const;
export type SendingMode = (typeof SENDING_MODES)[number];
export const PROVIDER_NAMES = ['sendgrid', 'mailgun', 'mailjet'] as const;
export type ProviderName = (typeof PROVIDER_NAMES)[number];

/** An encrypted secret as stored: `keyId:iv:tag:ciphertext` (see @mailroom/security). Never leaves the store unencrypted except inside a worker. */
export type SealedSecret = string;

export interface SmtpSettings {
  preset: SmtpPreset;
  fromAddress: string;
  username: string;
  host: string;
  port: number;
  tls: boolean;
  password?: SealedSecret;
}

export interface WebhookState {
  url: string;
  registered: boolean;
  error?: string;
  lastEventAt?: string;
  /** SendGrid public key / Mailgun signing key (sealed), or Mailjet's generated Basic password (sealed). */
  verificationKey?: SealedSecret;
  basicUser?: string;
  /** The provider's id of the webhook registered for this tenant (SendGrid: one of the account's several Event Webhooks). */
  providerWebhookId?: string;
}

export interface ProviderSettings {
  name: ProviderName;
  fromAddress: string;
  region: 'eu' | 'us';
  domain?: string;
  privateApiKey?: SealedSecret;
  publicApiKey?: SealedSecret;
  /** Last four characters of the private key, for the admin to recognise it. */
  privateKeyHint?: string;
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
  smtp?: SmtpSettings;
  provider?: ProviderSettings;
  /** The last permanent transport failure (rejected login, sender refused), cleared by the next success or save. */
  lastFailure?: { at: string; code: string; hint?: string; response?: string };
  /**
   * The plan fallback the platform was told about (`settings.failing`, reason `plan_fallback`): set by
   * the worker at the first send of an episode, cleared by its first send without the fallback or a save.
   */
  planFallback?: { plan: string; since: string };
  updatedAt: string;
}

const addressList = (field: string) =>
  z
    .array(addressSchema, { error: typeError(field, `${field} must be an array of addresses`) })
    .max(50, `${field} has more than 50 addresses`)
    .default([]);

const smtpInput = z
  .strictObject({
    preset: z.enum(SMTP_PRESETS, { error: `preset must be one of ${SMTP_PRESETS.join(', ')}` }),
    fromAddress: emailAddressSchema,
    username: headerSafeString('username', 320).min(1, 'username is required'),
    password: z.string().min(1, 'password must not be empty').max(1024).optional(),
    host: z
      .string()
      .trim()
      .min(1)
      .max(253)
      .regex(/^[A-Za-z0-9.-]+$|^\[?[0-9a-fA-F:.]+\]?$/, 'host must be a host name or IP address')
      .optional(),
    port: z
      .number({ error: typeError('port', 'port must be a number') })
      .int()
      .min(1)
      .max(65535)
      .optional(),
    tls: z.boolean({ error: typeError('tls', 'tls must be true (implicit TLS) or false (STARTTLS, required)') }).optional(),
  })
  .superRefine((s, ctx) => {
    if (s.preset === 'other') {
      for (const f of ['host', 'port', 'tls'] as const) {
        if (s[f] === undefined) ctx.addIssue({ code: 'custom', path: [f], message: `${f} is required when preset is "other"` });
      }
    }
  });
export type SmtpSettingsInput = z.infer<typeof smtpInput>;

const providerInput = z
  .strictObject({
    name: z.enum(PROVIDER_NAMES, { error: `name must be one of ${PROVIDER_NAMES.join(', ')}` }),
    fromAddress: emailAddressSchema,
    privateApiKey: z.string().trim().min(1, 'privateApiKey must not be empty').max(512).optional(),
    publicApiKey: z.string().trim().min(1, 'publicApiKey must not be empty').max(512).optional(),
    region: z.enum(['eu', 'us'], { error: 'region must be "eu" or "us"' }).optional(),
    domain: z
      .string()
      .trim()
      .toLowerCase()
      .regex(/^[a-z0-9.-]+\.[a-z]{2,}$/, 'domain must be a domain name such as mg.example.com')
      .optional(),
    /** Pasted by hand when automatic webhook registration failed. */
    webhookVerificationKey: z.string().trim().min(1).max(4096).optional(),
  })
  .superRefine((p, ctx) => {
    if (p.name !== 'mailjet' && p.publicApiKey !== undefined)
      ctx.addIssue({ code: 'custom', path: ['publicApiKey'], message: `${p.name} has no public API key: leave publicApiKey out` });
    if (p.name !== 'mailgun' && (p.region !== undefined || p.domain !== undefined))
      ctx.addIssue({
        code: 'custom',
        path: [p.region !== undefined ? 'region' : 'domain'],
        message: 'region and domain apply to Mailgun only',
      });
  });
export type ProviderSettingsInput = z.infer<typeof providerInput>;

export const emailSettingsInputSchema = z
  .strictObject({
    mode: z.enum(SENDING_MODES, { error: `mode must be one of ${SENDING_MODES.join(', ')}` }),
    senderName: headerSafeString('senderName', 200).trim().min(1, 'senderName is required'),
    replyTo: emailAddressSchema.optional(),
    cc: addressList('cc'),
    bcc: addressList('bcc'),
    smtp: smtpInput.optional(),
    provider: providerInput.optional(),
  })
  .superRefine((s, ctx) => {
    if (s.mode === 'smtp' && !s.smtp) ctx.addIssue({ code: 'custom', path: ['smtp'], message: 'smtp is required when mode is "smtp"' });
    if (s.mode === 'provider' && !s.provider)
      ctx.addIssue({ code: 'custom', path: ['provider'], message: 'provider is required when mode is "provider"' });
    if (s.mode === 'platform' && !s.replyTo)
      ctx.addIssue({ code: 'custom', path: ['replyTo'], message: 'replyTo is required in platform mode: replies must reach the tenant' });
  });
export type EmailSettingsInput = z.infer<typeof emailSettingsInputSchema>;

/** Fills host/port/tls from the preset, keeping what the user overrode. */
export function resolveSmtpEndpoint(input: SmtpSettingsInput): { host: string; port: number; tls: boolean } {
  const preset = input.preset === 'other' ? undefined : PRESET_ENDPOINTS[input.preset];
  return {
    host: input.host ?? preset!.host,
    port: input.port ?? preset!.port,
    tls: input.tls ?? (input.port !== undefined ? input.port === 465 : preset!.tls),
  };
}
