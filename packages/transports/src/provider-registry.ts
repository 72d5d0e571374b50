import {
  EmailSettings,
  EmailSettingsInput,
  emailSettingsInputSchema,
  ProviderSettings,
  SENDING_MODES,
  SendingMode,
  settingsPartKey,
  settingsPartOf,
  WEBHOOK_KEY_FIELD,
} from '@mailroom/domain';
import { z } from 'zod';
import type { ModuleOAuth, ModuleWebhooks, TransportContext, TransportModule } from './provider-module';
import { SettingsIncompleteError, TenantSecrets } from './tenant-secrets';
import type { Transport } from './transport';

export type WebhookModule = TransportModule & { webhooks: ModuleWebhooks<any, any> };
export type OAuthModule = TransportModule & { oauth: ModuleOAuth<any> };

/** A sealed field of a tenant's settings, wherever its module keeps it (pnpm reseal visits each). */
export interface SealedSettingsField {
  field: string;
  get(s: EmailSettings): string | undefined;
  set(s: EmailSettings, sealed: string): EmailSettings;
}

const PROVIDER_NAME = /^[a-z][a-z0-9-]{1,30}$/;

/**
 * The transport modules Mailroom runs with (providers.ts lists them; a test may add its own), and
 * the generic dispatch the apps use: which module a tenant's settings use, the settings schema with
 * each provider's fields, transport creation, webhooks by provider name, the OAuth connection.
 */
export class ProviderRegistry {
  private readonly byMode = new Map<SendingMode, TransportModule>();
  private readonly providers = new Map<string, TransportModule>();
  /** The PUT body's schema: common fields, the smtp module's part, each provider's part by `name`. */
  readonly settingsInputSchema: z.ZodType<EmailSettingsInput, unknown>;

  constructor(readonly modules: readonly TransportModule[]) {
    const names = new Set<string>();
    for (const m of modules) {
      if (names.has(m.name)) throw new Error(`two transport modules are named "${m.name}"`);
      names.add(m.name);
      if (m.mode === 'provider') {
        if (!PROVIDER_NAME.test(m.name)) throw new Error(`provider module name "${m.name}" must be lower-case letters, digits and "-"`);
        if (!m.settings) throw new Error(`provider module "${m.name}" has no settings`);
        this.providers.set(m.name, m);
      } else if (this.byMode.has(m.mode)) throw new Error(`two transport modules serve the "${m.mode}" mode`);
      else this.byMode.set(m.mode, m);
    }
    for (const mode of SENDING_MODES) {
      if (mode !== 'provider' && !this.byMode.has(mode)) throw new Error(`no transport module serves the "${mode}" mode`);
    }
    this.settingsInputSchema = emailSettingsInputSchema({ smtp: this.partSchema('smtp'), provider: this.providerSchema() });
  }

  /** The names of the `provider` mode's modules, as settings and webhook URLs spell them. */
  get providerNames(): string[] {
    return [...this.providers.keys()];
  }

  provider(name: string): TransportModule | undefined {
    return this.providers.get(name);
  }

  /** The module the settings send with. A provider no longer registered: settings to save again. */
  moduleOf(s: Pick<EmailSettings, 'mode' | 'provider'>): TransportModule {
    if (s.mode !== 'provider') return this.byMode.get(s.mode)!;
    const m = s.provider ? this.providers.get(s.provider.name) : undefined;
    if (!m) throw new SettingsIncompleteError(`provider "${s.provider?.name}" is not one Mailroom knows: save the settings again`);
    return m;
  }

  /** The provider whose webhooks arrive at `/webhooks/<name>/...`, if it has any. */
  webhookModule(name: string): WebhookModule | undefined {
    const m = this.providers.get(name);
    return m?.webhooks ? (m as WebhookModule) : undefined;
  }

  /** The module that keeps mailboxes connected with OAuth2, if any. */
  oauthModule(): OAuthModule | undefined {
    return this.modules.find((m) => m.oauth) as OAuthModule | undefined;
  }

  /** The transport for these settings, secrets opened in memory only. */
  createTransport(settings: EmailSettings, secrets: TenantSecrets, context: TransportContext): Transport {
    const m = this.moduleOf(settings);
    const stored = settingsPartOf(settings);
    if (m.settings && !stored) throw new SettingsIncompleteError(`${settingsPartKey(settings.mode)} settings are missing`);
    return m.createTransport(m.spec(stored, secrets), context);
  }

  /** Every sealed field the settings hold: their module's, and the provider webhook's key. */
  sealedFields(s: EmailSettings): SealedSettingsField[] {
    const key = settingsPartKey(s.mode);
    const m = key === 'provider' ? this.providers.get(s.provider?.name ?? '') : key ? this.byMode.get(s.mode) : undefined;
    const fields: SealedSettingsField[] = (key && m?.settings?.sealedFields ? m.settings.sealedFields : []).map((f) => ({
      field: f.field,
      get: (settings) => (settings[key!] ? f.get(settings[key!]) : undefined),
      set: (settings, sealed) => ({ ...settings, [key!]: f.set(settings[key!], sealed) }),
    }));
    if (s.mode === 'provider')
      fields.push({
        field: WEBHOOK_KEY_FIELD,
        get: (settings) => settings.provider?.webhook?.verificationKey,
        set: (settings, v) => ({ ...settings, provider: withWebhookKey(settings.provider!, v) }),
      });
    return fields;
  }

  /** The schemas of the settings answer's `smtp` and `provider` parts, as the modules present them (the API's OpenAPI document). */
  presentedPartSchemas(): { smtp: z.ZodType; provider: z.ZodType } {
    const providers = [...this.providers.values()].map((m) => m.settings!.presented);
    return {
      smtp: this.byMode.get('smtp')?.settings?.presented ?? z.never(),
      provider: providers.length === 0 ? z.never() : providers.length === 1 ? providers[0] : z.union(providers),
    };
  }

  private partSchema(mode: SendingMode): z.ZodType<any, unknown> {
    return this.byMode.get(mode)?.settings?.input ?? z.never();
  }

  private providerSchema(): z.ZodType<any, unknown> {
    const options = [...this.providers.values()].map((m) => m.settings!.input);
    if (options.length === 0) return z.never({ error: 'no provider is available' });
    const names = this.providerNames.join(', ');
    return z.discriminatedUnion('name', options as [any, ...any[]], {
      error: (issue) => (issue.code === 'invalid_union' ? `name must be one of ${names}` : undefined),
    });
  }
}

function withWebhookKey(p: ProviderSettings, verificationKey: string): ProviderSettings {
  return { ...p, webhook: { ...p.webhook!, verificationKey } };
}
