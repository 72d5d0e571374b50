import type { EmailSettings, SettingsWarning } from '@mailroom/domain';
import { lastFailureWarnings, presentLimits, presentSettingsPart, ProviderRegistry, settingsPartWarnings } from '@mailroom/transports';

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
    limits: presentLimits(registry, s),
    warnings: [...settingsPartWarnings(registry, s), ...lastFailureWarnings(registry, s), ...extraWarnings],
  };
}
