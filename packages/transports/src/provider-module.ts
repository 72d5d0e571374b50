import type { Config } from '@mailroom/config';
import type { EmailSettings, HintKey, PresetLimits, SendingMode, SettingsWarning } from '@mailroom/domain';
import type { Logger } from 'pino';
import type { z } from 'zod';
import type { AccessTokenSource, MailboxGrant, RenewedMailboxTokens } from './access-token-source';
import type { SmtpHostGuard } from './smtp/smtp-host-guard';
import type { TenantSecrets } from './tenant-secrets';
import type { Transport } from './transport';
import type { IncomingWebhook, NormalizedEvent, VerifyOutcome } from './webhook';

/**
 * The provider module contract (docs/decisions/0027): everything Mailroom knows about one transport,
 * in its folder (packages/transports/src/<name>/<name>-module.ts), listed by one line in providers.ts.
 * The apps hold no provider switch: they ask the registry, which asks the module.
 *
 * A module serves one sending mode: `platform` and `smtp` have one module each; every `provider`
 * module is picked by the settings' `provider.name`. Capabilities a module lacks are absent (the
 * platform has no settings of its own; only providers have webhooks; only smtp connects mailboxes).
 */
export interface TransportModule<Input = any, Stored = any, Spec = any> {
  /** In settings (`provider.name`), webhook URLs (`/webhooks/<name>/...`), logs and metrics. Lower case. */
  readonly name: string;
  /** For people: `SendGrid`, `SMTP`. */
  readonly label: string;
  readonly mode: SendingMode;
  /** Its part of the settings (`smtp` or `provider`); absent: the mode stores nothing of its own. */
  readonly settings?: ModuleSettings<Input, Stored>;
  /** The stored settings with their secrets opened: lives in memory only, never stored, queued or logged. */
  spec(stored: Stored, secrets: TenantSecrets): Spec;
  /** A NEW transport for one tenant (the platform's shared relay excepted: `context.platform`). */
  createTransport(spec: Spec, context: TransportContext): Transport;
  readonly webhooks?: ModuleWebhooks<Stored, Spec>;
  readonly oauth?: ModuleOAuth<Stored>;
}

/** The configuration a module reads: the providers' base URLs, timeouts, the platform relay, OAuth. */
export type TransportConfig = Pick<Config, 'platform' | 'providers' | 'timeouts' | 'oauth' | 'smtpMaxConnections'>;

/** What a transport is built with besides its spec. */
export interface TransportContext {
  tenantId: string;
  config: TransportConfig;
  logger?: Logger;
  /** The SSRF guard every tenant SMTP connection goes through. */
  smtpHosts: SmtpHostGuard;
  /** The platform's relay as the worker shares it between platform tenants; without it, a new one. */
  platform?: Transport;
  /** The tenant's connected mailbox's access tokens, where a token manager runs (worker, test email). */
  accessTokens?: () => AccessTokenSource;
}

/** A sealed field of a module's stored settings, named as its secret context names it (`smtp.password`). */
export interface SealedField<Stored> {
  field: string;
  get(stored: Stored): string | undefined;
  set(stored: Stored, sealed: string): Stored;
}

/** What a module's settings failed with last (EmailSettings.lastFailure). */
export type LastFailure = NonNullable<EmailSettings['lastFailure']>;

export interface ModuleSettings<Input, Stored> {
  /**
   * The zod schema of its part of a settings PUT; a provider's has `name: z.literal(<name>)`
   * (providerInputFields). Messages name the field; the API prefixes the part (`provider.region`).
   */
  readonly input: z.ZodType<Input, unknown>;
  /**
   * What is stored: secrets sealed, a secret left out kept from `previous` (this module's own, or
   * undefined). Throws SettingsFieldError for what the schema cannot say (a secret required the first time).
   */
  store(input: Input, previous: Stored | undefined, secrets: TenantSecrets): Stored;
  /** Every sealed field, for re-sealing with a new key (pnpm reseal). */
  readonly sealedFields: readonly SealedField<Stored>[];
  /** As the API shows it: no secret, ever; `hasX` and last-4 hints instead. */
  present(stored: Stored): Record<string, unknown>;
  /** The zod schema of what `present` answers: the settings answer's part in the API's OpenAPI document (decision 0031). */
  readonly presented: z.ZodType<Record<string, unknown>>;
  /** Advice that does not stop a save but will bite later. */
  warnings(stored: Stored): SettingsWarning[];
  /** A remembered failure turned into this module's advice; undefined: the generic words. */
  failureWarning?(failure: LastFailure, stored: Stored): SettingsWarning | undefined;
  /** Checks that need the network, before anything is stored (the SMTP host's SSRF guard). Throws SettingsFieldError. */
  vet?(input: Input, context: VetContext): Promise<void>;
  /**
   * The sending limits the server of these settings publishes (an SMTP preset's), with their sources:
   * the tenant's defaults and the most it may set (decision 0030). Absent or undefined: none published,
   * the tenant's own limits alone.
   */
  presetLimits?(stored: Stored): PresetLimits | undefined;
}

export interface VetContext {
  tenantId: string;
  smtpHosts: SmtpHostGuard;
  config: Pick<Config, 'timeouts'>;
  logger: Logger;
}

/** A provider's event webhook: how to verify, parse and register it (contracts.md, section 5). */
export interface ModuleWebhooks<Stored, Spec> {
  /** On the raw bytes, with the tenant's key (opened) as registration left it. */
  verify(incoming: IncomingWebhook, hook: OpenedWebhook, now: Date, maxAgeSeconds: number): VerifyOutcome;
  parse(rawBody: Buffer): NormalizedEvent[];
  /** The status that makes the provider stop retrying a request that will never succeed. */
  readonly giveUpStatus: number;
  /**
   * How old a signed timestamp may be (WEBHOOK_MAX_AGE_SECONDS, when set, instead): as long as the
   * provider retries a post we failed, since its retries carry the first attempt's signature. Absent
   * when its posts carry no signed time (Mailjet's Basic auth).
   */
  readonly retriesForSeconds?: number;
  /** The answer for a tenant not configured for this provider (Mailgun: 406, "stop"). */
  readonly notConfiguredStatus: number;
  /**
   * The registration's hint keys that mean the provider refused the saved settings themselves (the key,
   * the region, the domain), each with what to check, in English: sending fails too, so the save's
   * warning asks for that fix, not for a verification key pasted by hand.
   */
  readonly refusedSettings?: Readonly<Partial<Record<HintKey, string>>>;
  /** Registers `url` on the tenant's own account, through its own keys; what verification will need. */
  register(spec: Spec, stored: Stored, request: WebhookRegistrationRequest): Promise<RegisteredWebhook>;
}

/** The tenant's webhook state with its key opened. */
export interface OpenedWebhook {
  key?: string;
  basicUser?: string;
  providerWebhookId?: string;
}

export interface WebhookRegistrationRequest {
  tenantId: string;
  url: string;
  /** What the last registration left (the webhook to update, Mailjet's Basic credentials to keep). */
  previous?: OpenedWebhook;
  config: TransportConfig;
}

export interface RegisteredWebhook {
  /** SendGrid's public key, Mailgun's signing key, the Basic password we generated for Mailjet: sealed by the caller. */
  verificationKey: string;
  basicUser?: string;
  providerWebhookId?: string;
}

/** A module whose settings can hold a mailbox connected with OAuth2 (Gmail, Microsoft 365). */
export interface ModuleOAuth<Stored> {
  /** The stored connection with its tokens opened, for the token manager; undefined when there is none. */
  grant(stored: Stored, secrets: TenantSecrets): MailboxGrant | undefined;
  /** The stored part with renewed tokens sealed in (a store update that keeps the settings version). */
  renewed(stored: Stored, tokens: RenewedMailboxTokens, secrets: TenantSecrets): Stored;
  /** The stored part for a mailbox just connected (the OAuth callback). */
  connected(mailbox: ConnectedMailbox, previous: Stored | undefined, secrets: TenantSecrets): Stored;
  /** Checks the server a connection would send through before the admin is sent to consent (the SSRF guard). Throws SettingsFieldError. */
  vet?(connection: Pick<ConnectedMailbox, 'vendor' | 'via' | 'server'>, context: VetContext): Promise<void>;
}

/** A mailbox the OAuth callback connected, tokens in the clear (sealed by `connected`). */
export interface ConnectedMailbox {
  vendor: MailboxGrant['vendor'];
  via: MailboxGrant['via'];
  mailbox: string;
  refreshToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  /** Overrides of the preset's server, kept with the connection. */
  server?: { host?: string; port?: number; tls?: boolean };
  connectedAt: string;
}
