import {
  EffectiveLimits,
  effectiveSendingLimits,
  EmailSettings,
  limitsOverPreset,
  PresetLimits,
  SENDING_LIMIT_FIELDS,
  settingsPartOf,
} from '@mailroom/domain';
import type { ProviderRegistry } from './provider-registry';
import { SettingsFieldError, SettingsIncompleteError } from './tenant-secrets';

/**
 * The tenants' own sending limits as the settings' module sees them (decision 0030): the preset's
 * published figures are the defaults and the ceiling; the tenant may set lower, or higher where the
 * preset names no maximum. Platform mode has no tenant limits.
 */

type LimitedSettings = Pick<EmailSettings, 'mode' | 'smtp' | 'provider' | 'limits'>;

/** The published limits of the settings' server (an SMTP preset's), or undefined (none, or platform mode). */
export function presetLimitsOf(registry: ProviderRegistry, s: LimitedSettings): PresetLimits | undefined {
  const stored = settingsPartOf(s);
  if (!stored) return undefined;
  let module;
  try {
    module = registry.moduleOf(s);
  } catch (e) {
    // A provider the registry no longer knows publishes nothing; building its transport says what is wrong.
    if (e instanceof SettingsIncompleteError) return undefined;
    throw e;
  }
  return module.settings?.presetLimits?.(stored);
}

/** What a send of these settings is counted against; undefined in platform mode. Windows without a limit are absent. */
export function effectiveLimitsOf(registry: ProviderRegistry, s: LimitedSettings): EffectiveLimits | undefined {
  if (!settingsPartOf(s)) return undefined;
  return effectiveSendingLimits(s.limits, presetLimitsOf(registry, s));
}

/** Refuses a figure above the preset's published maximum, naming the field and the maximum. */
export function assertLimitsWithinPreset(registry: ProviderRegistry, s: LimitedSettings): void {
  const preset = presetLimitsOf(registry, s);
  const [over] = limitsOverPreset(s.limits, preset);
  if (!over || !preset) return;
  throw new SettingsFieldError(
    `limits.${over.field}`,
    `limits.${over.field} may be at most ${over.maximum}: ${preset.label}'s published sending limit (${preset.sources[0]}). Set it to ${over.maximum} or lower, or leave it out for the default of ${preset.defaults[over.field] ?? over.maximum}.`,
  );
}

/**
 * The settings answer's `limits`: what sends are counted against and where each figure comes from,
 * what the tenant set, and the preset's figures with their sources. Null in platform mode.
 */
export function presentLimits(registry: ProviderRegistry, s: LimitedSettings) {
  const effective = effectiveLimitsOf(registry, s);
  if (!effective) return null;
  const preset = presetLimitsOf(registry, s);
  const windows = Object.fromEntries(
    SENDING_LIMIT_FIELDS.map((f) => [
      f,
      effective.limits[f] === undefined
        ? null
        : {
            value: effective.limits[f],
            from: effective.from[f],
            ...(preset?.maximum[f] !== undefined ? { maximum: preset.maximum[f] } : {}),
          },
    ]),
  );
  return {
    ...windows,
    own: s.limits ?? {},
    preset: preset
      ? {
          label: preset.label,
          defaults: preset.defaults,
          maximum: preset.maximum,
          sources: preset.sources,
          ...(preset.note ? { note: preset.note } : {}),
        }
      : null,
  };
}
