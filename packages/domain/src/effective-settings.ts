import type { TransportChoice, TransportFallbackReason } from './email';
import { mayUseSmtp, Tenant } from './plans';
import type { EmailSettings } from './settings';

/**
 * The settings an email is really sent with, decided in one place for the API (the record's
 * `transport`, the settings answer), the worker (which transport) and the test email, so the three
 * always agree:
 * - a tenant that never saved settings sends through the platform, with its name as the sender name
 *   and its contact address (`tenant.email`), if any, as Reply-To (`configured: false`);
 * - a tenant in `smtp` mode whose plan no longer allows it sends through the platform too, keeping
 *   its sender name, CC/BCC and Reply-To (its `replyTo`, else its contact address): nothing goes out
 *   through a server the plan does not allow (`fallback: 'plan_fallback'`).
 * Everything else is the stored settings as they are.
 */
export interface EffectiveSettings {
  settings: EmailSettings;
  /** False when the tenant never saved settings (the platform defaults). */
  configured: boolean;
  fallback?: TransportFallbackReason;
}

export function platformDefaults(tenant: Tenant): EmailSettings {
  return {
    tenantId: tenant.id,
    version: 0,
    mode: 'platform',
    senderName: tenant.name,
    ...(tenant.email ? { replyTo: tenant.email } : {}),
    cc: [],
    bcc: [],
    updatedAt: tenant.updatedAt,
  };
}

export function effectiveSettings(tenant: Tenant, stored: EmailSettings | null, smtpPlans: readonly string[]): EffectiveSettings {
  if (!stored) return { settings: platformDefaults(tenant), configured: false };
  if (stored.mode === 'smtp' && !mayUseSmtp(tenant.plan, smtpPlans)) {
    // The tenant's limits were for its own server: the platform's relay paces itself.
    const { smtp: _notAllowed, lastFailure: _smtpFailure, limits: _ownServerLimits, ...kept } = stored;
    const replyTo = stored.replyTo ?? tenant.email;
    return {
      settings: { ...kept, mode: 'platform', ...(replyTo ? { replyTo } : {}) },
      configured: true,
      fallback: 'plan_fallback',
    };
  }
  return { settings: stored, configured: true };
}

/** What the history records as the email's transport. */
export function transportOf(effective: EffectiveSettings): TransportChoice {
  const s = effective.settings;
  return {
    mode: s.mode,
    ...(s.mode === 'provider' && s.provider ? { provider: s.provider.name } : {}),
    ...(effective.fallback ? { reason: effective.fallback } : {}),
  };
}

/**
 * A key for the worker's transport cache: the settings version alone is not enough, because a plan
 * change moves a tenant between its own SMTP server and the platform without a new version.
 */
export function transportCacheKey(effective: EffectiveSettings): string {
  return `${effective.settings.version}:${effective.settings.mode}`;
}
