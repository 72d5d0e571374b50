import type { RecordedHint } from './hint-not-retried';

/** The failure a `last_send_failed` warning is about: when, its code, and its hint (words and key). */
export type WarnedFailure = { at: string; code: string } & RecordedHint;

/**
 * A warning in the settings answer: a stable `code` for programs, a `message` for people. Codes are
 * the settings' own (`plan_fallback`...) or a transport module's (`mailgun_domain_mismatch`,
 * `oauth_reconnect_required`...). `failure` carries the values of a `last_send_failed` message, so
 * a screen words it without reading the English.
 */
export interface SettingsWarning {
  code: string;
  message: string;
  failure?: WarnedFailure;
}

export const settingsWarning = (code: string, message: string): SettingsWarning => ({ code, message });
