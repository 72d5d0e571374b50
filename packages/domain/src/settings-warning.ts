/**
 * A warning in the settings answer: a stable `code` for programs, a `message` for people. Codes are
 * the settings' own (`plan_fallback`...) or a transport module's (`mailgun_domain_mismatch`,
 * `oauth_reconnect_required`...).
 */
export interface SettingsWarning {
  code: string;
  message: string;
}

export const settingsWarning = (code: string, message: string): SettingsWarning => ({ code, message });
