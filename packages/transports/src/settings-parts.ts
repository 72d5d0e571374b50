import {
  EmailSettings,
  EmailSettingsInput,
  ProviderSettings,
  settingsPartKey,
  settingsPartOf,
  settingsWarning,
  SettingsWarning,
  TransportSettings,
  WebhookState,
  withoutUndefined,
} from '@mailroom/domain';
import type { TransportModule, VetContext } from './provider-module';
import type { ProviderRegistry } from './provider-registry';
import { SettingsFieldError, TenantSecrets } from './tenant-secrets';

/**
 * The parts of a tenant's settings that belong to a transport module (`smtp`, `provider`), handled
 * generically for the API: stored from a PUT, vetted, presented without secrets, turned into
 * warnings. Each module says how for its own fields; what is common to every provider (its webhook
 * state) is here.
 */

/** The module part of a PUT (secrets sealed, or kept from the same module's previous settings). */
export function storeSettingsPart(
  registry: ProviderRegistry,
  input: EmailSettingsInput,
  previous: EmailSettings | null,
  secrets: TenantSecrets,
): Pick<EmailSettings, 'smtp' | 'provider'> {
  const key = settingsPartKey(input.mode);
  const part = key ? input[key] : undefined;
  if (!key || !part) return {};
  const m = registry.moduleOf({ mode: input.mode, provider: input.provider as ProviderSettings | undefined });
  const prev = previous && sameModule(registry, previous, m) ? settingsPartOf(previous) : undefined;
  let stored: TransportSettings;
  try {
    stored = m.settings!.store(part, prev, secrets);
  } catch (e) {
    throw e instanceof SettingsFieldError ? e.within(key) : e;
  }
  // A provider's registered webhook stays with the settings of that same provider.
  const webhook = key === 'provider' ? (prev as ProviderSettings | undefined)?.webhook : undefined;
  return { [key]: webhook ? { ...stored, webhook } : stored };
}

/** The module's network checks of a PUT (the SMTP host's SSRF guard), before anything is stored. */
export async function vetSettingsPart(registry: ProviderRegistry, input: EmailSettingsInput, context: VetContext): Promise<void> {
  const key = settingsPartKey(input.mode);
  const part = key ? input[key] : undefined;
  if (!key || !part) return;
  const m = registry.moduleOf({ mode: input.mode, provider: input.provider as ProviderSettings | undefined });
  try {
    await m.settings?.vet?.(part, context);
  } catch (e) {
    throw e instanceof SettingsFieldError ? e.within(key) : e;
  }
}

/** The module part as the API shows it, and a provider's webhook state: never a secret. */
export function presentSettingsPart(registry: ProviderRegistry, s: EmailSettings): Record<string, unknown> {
  const key = settingsPartKey(s.mode);
  const stored = settingsPartOf(s);
  if (!key || !stored) return {};
  const m = registry.moduleOf(s);
  const shown: Record<string, unknown> = { [key]: m.settings?.present(stored) ?? {} };
  const hook = s.mode === 'provider' ? s.provider?.webhook : undefined;
  if (hook)
    shown.webhook = {
      url: hook.url,
      registered: hook.registered,
      // Why registration failed: in English, and by key (absent on a record older than the keys).
      ...(hook.error
        ? withoutUndefined({ error: hook.error, hintKey: hook.hintKey, hintParams: hook.hintParams, hintThen: hook.hintThen })
        : {}),
      lastEventAt: hook.lastEventAt ?? null,
      hasVerificationKey: Boolean(hook.verificationKey),
    };
  return shown;
}

/** The module's advice on its settings, and a provider webhook that is not registered. */
export function settingsPartWarnings(registry: ProviderRegistry, s: EmailSettings): SettingsWarning[] {
  const stored = settingsPartOf(s);
  if (!stored) return [];
  const m = registry.moduleOf(s);
  const out = [...(m.settings?.warnings(stored) ?? [])];
  const hook = s.mode === 'provider' ? s.provider?.webhook : undefined;
  if (hook && !hook.registered) out.push(notRegisteredWarning(m, hook));
  return out;
}

/**
 * Why the webhook is not registered: the provider refused the saved key, region or domain (sending
 * fails too: fix that and save), or something pasting the verification key by hand gets round.
 */
function notRegisteredWarning(m: TransportModule, hook: WebhookState): SettingsWarning {
  const because = hook.error ? ` (${hook.error})` : '';
  const check = hook.hintKey ? m.webhooks?.refusedSettings?.[hook.hintKey] : undefined;
  if (check)
    return settingsWarning(
      'provider_credentials_refused',
      `${m.label} refused the saved settings${because}: emails cannot be sent through ${m.label}, and its webhook is not registered, until they are right. Check ${check}; then save the settings again.`,
    );
  return settingsWarning(
    'webhook_not_registered',
    `the ${m.name} webhook is not registered${because}: delivered, opened and bounced will not show in the history until it is. Register ${hook.url} in ${m.label} and paste the verification key.`,
  );
}

/** The last permanent failure in its module's words, or the generic ones. */
export function lastFailureWarnings(registry: ProviderRegistry, s: EmailSettings): SettingsWarning[] {
  const f = s.lastFailure;
  if (!f) return [];
  const stored = settingsPartOf(s);
  const own = stored ? registry.moduleOf(s).settings?.failureWarning?.(f, stored) : undefined;
  if (own) return [own];
  const { at, code, hint, hintKey, hintParams, hintThen } = f;
  const message = `the last send failed on ${at} (${code})${hint ? `: ${hint}` : ''}`;
  // The message's values as they are, for a screen that words them in its own language.
  return [
    { ...settingsWarning('last_send_failed', message), failure: withoutUndefined({ at, code, hint, hintKey, hintParams, hintThen }) },
  ];
}

function sameModule(registry: ProviderRegistry, s: EmailSettings, m: TransportModule): boolean {
  try {
    return registry.moduleOf(s) === m;
  } catch {
    return false;
  }
}
