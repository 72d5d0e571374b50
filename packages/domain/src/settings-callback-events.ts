import { CallbackEvent, CallbackReply, SettingsFailingReason, settingsOrderKey } from './callback-events';
import type { EmailSettings } from './settings';

/**
 * `settings.failing`: the tenant's sending stopped working in a way only the tenant can fix (its
 * login was rejected, its provider key stopped working) or the platform changed its route (the plan
 * fallback started). Told once per episode, not once per failed email.
 */

/** Which permanent failures are the tenant's settings (by our error code, never by message text). */
export function settingsFailingReason(code: string, mode: EmailSettings['mode']): SettingsFailingReason | null {
  if (code === 'EAUTH' && mode === 'smtp') return 'login_rejected';
  if ((code === 'http_401' || code === 'http_403') && mode === 'provider') return 'provider_key_rejected';
  return null;
}

function compactReply(r: CallbackReply): CallbackReply | undefined {
  const entries = Object.entries(r).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? (Object.fromEntries(entries) as CallbackReply) : undefined;
}

/**
 * Call with the settings before and after each update that may set `lastFailure` (the worker's record
 * of a permanent failure). A failure episode starts when `lastFailure` appears, or changes to another
 * code; one that goes on (the same code again on the next email) gives nothing. The key is the
 * episode's start time, so repeating the call gives the same event.
 */
export function settingsCallbackEvents(before: EmailSettings | null, after: EmailSettings | null): CallbackEvent[] {
  const failure = after?.lastFailure;
  if (!after || !failure) return [];
  const previous = before?.lastFailure;
  if (previous && previous.code === failure.code) return [];
  const reason = settingsFailingReason(failure.code, after.mode);
  if (!reason) return [];
  const reply = compactReply({ code: failure.code, response: failure.response, hint: failure.hint });
  return [
    {
      type: 'settings.failing',
      key: `${reason}:${failure.at}`,
      orderKey: settingsOrderKey(after.tenantId),
      timestamp: failure.at,
      data: {
        tenantId: after.tenantId,
        reason,
        mode: after.mode,
        ...(after.mode === 'provider' && after.provider ? { provider: after.provider.name } : {}),
        ...(reply ? { reply } : {}),
      },
    },
  ];
}

/**
 * The plan fallback started: a tenant in `smtp` mode whose plan no longer allows it sends through the
 * platform. The key is the settings version and the plan, so publishing this on every fallback send
 * gives one callback per settings version and plan (the queue drops repeats of a delivered event).
 */
export function planFallbackCallbackEvent(input: {
  tenantId: string;
  settingsVersion: number;
  plan: string;
  at: string;
  hint?: string;
}): CallbackEvent {
  return {
    type: 'settings.failing',
    key: `plan_fallback:${input.settingsVersion}:${input.plan}`,
    orderKey: settingsOrderKey(input.tenantId),
    timestamp: input.at,
    data: {
      tenantId: input.tenantId,
      reason: 'plan_fallback',
      mode: 'smtp',
      plan: input.plan,
      ...(input.hint ? { reply: { hint: input.hint } } : {}),
    },
  };
}
