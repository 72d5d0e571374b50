import type { CallbackReply, SettingsFailingReason } from './callback-body-schema';
import { CallbackEvent, settingsOrderKey } from './callback-events';
import { MISSING_SCOPE, SENDER_NOT_VERIFIED } from './delivery-error';
import { hintOf } from './hint-not-retried';
import type { EmailSettings } from './settings';

/**
 * `settings.failing`: the tenant's sending stopped working in a way only the tenant can fix (its
 * login was rejected, its provider key stopped working, its provider has not verified its From
 * address, its provider account refused it) or the platform changed its route (the plan fallback
 * started). Told once per episode, not once per failed email.
 */

/**
 * Which failures are the tenant's settings (by our error code, never by message text). The
 * one place a kind of settings failure is named (an OAuth grant that must be reconnected is one); the
 * worker records `lastFailure` for the failures remembersFailureOnSettings names, and every settings
 * update is turned into callbacks by settingsCallbackEvents.
 */
export function settingsFailingReason(code: string, mode: EmailSettings['mode']): SettingsFailingReason | null {
  if (code === 'EAUTH' && mode === 'smtp') return 'login_rejected';
  // The mailbox connected with OAuth2 (Gmail, Microsoft 365) refused the refresh: only a reconnect helps.
  if (code === 'oauth_reconnect_required') return 'oauth_reconnect_required';
  if (mode !== 'provider') return null;
  // Every provider answers a key it does not know (or the wrong region's) with 401.
  if (code === 'http_401') return 'provider_key_rejected';
  // The classifier recognised the From address in the provider's answer: the key was fine.
  if (code === SENDER_NOT_VERIFIED) return 'provider_sender_rejected';
  // Any other 403: the provider refused this account the request (a key without the permission to
  // send, a disabled account or domain, a sandbox's recipients, a block); its words say which. A key
  // the provider confirmed lacks the permission to send (MISSING_SCOPE) is the same refusal, known.
  if (code === 'http_403' || code === MISSING_SCOPE) return 'provider_access_denied';
  return null;
}

/**
 * Settings failures a provider may lift by itself (a 403 that may be a temporary block of the account:
 * SendGrid's, decision 0057): the send is retried, yet the platform is told at the first refusal.
 */
const TOLD_WHILE_RETRIED: ReadonlySet<SettingsFailingReason> = new Set(['provider_access_denied']);

/**
 * Whether a failed send is remembered on the settings (`lastFailure`, which settingsCallbackEvents turns
 * into `settings.failing` once per episode): every permanent failure, and a temporary one that is still
 * the tenant's settings (TOLD_WHILE_RETRIED). Other temporary failures (a busy server, a 454 at AUTH)
 * say nothing about the settings.
 */
export function remembersFailureOnSettings(err: { code: string; retryable: boolean }, mode: EmailSettings['mode']): boolean {
  if (!err.retryable) return true;
  const reason = settingsFailingReason(err.code, mode);
  return reason !== null && TOLD_WHILE_RETRIED.has(reason);
}

function compactReply(r: CallbackReply): CallbackReply | undefined {
  const entries = Object.entries(r).filter(([, v]) => v !== undefined && v !== '');
  return entries.length ? (Object.fromEntries(entries) as CallbackReply) : undefined;
}

/**
 * Call with the settings before and after every settings update (the apps' stores do, see
 * packages/callbacks store-with-callbacks.ts). Two kinds of episode:
 * - a failure: it starts when `lastFailure` appears, or changes to another code; one that goes on (the
 *   same code again on the next email) gives nothing. The key is the episode's start time;
 * - the plan fallback: it starts when the worker sets `planFallback` (markPlanFallback), once per
 *   episode; its key is that start time too.
 * Repeating the call for the same update gives the same events.
 */
export function settingsCallbackEvents(before: EmailSettings | null, after: EmailSettings | null): CallbackEvent[] {
  if (!after) return [];
  return [...failureEvents(before, after), ...planFallbackEvents(before, after)];
}

function failureEvents(before: EmailSettings | null, after: EmailSettings): CallbackEvent[] {
  const failure = after.lastFailure;
  if (!failure) return [];
  const previous = before?.lastFailure;
  if (previous && previous.code === failure.code) return [];
  const reason = settingsFailingReason(failure.code, after.mode);
  if (!reason) return [];
  const { code, responseCode, response, hint, hintKey, hintParams, hintThen } = failure;
  const reply = compactReply({ code, responseCode, response, hint, hintKey, hintParams, hintThen });
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

function planFallbackEvents(before: EmailSettings | null, after: EmailSettings): CallbackEvent[] {
  const started = after.planFallback;
  if (!started || before?.planFallback?.since === started.since) return [];
  return [planFallbackCallbackEvent({ tenantId: after.tenantId, plan: started.plan, since: started.since })];
}

export const PLAN_FALLBACK_HINT =
  "the tenant's plan no longer allows its own SMTP server: its emails go through the platform until the plan allows it again or the settings change";

/**
 * The worker's note of the plan fallback after it resolved an email's settings: `fallbackPlan` is the
 * tenant's plan when the email goes through the platform because of it, null otherwise. Sets the
 * marker when an episode starts (or the plan changed: a new episode), clears it when the fallback is
 * over; null when nothing changes (the usual case: one read, no write).
 */
export function markPlanFallback(s: EmailSettings, fallbackPlan: string | null, at: string): EmailSettings | null {
  const current = s.planFallback;
  if (fallbackPlan === null) {
    if (!current) return null;
    const { planFallback: _over, ...rest } = s;
    return rest;
  }
  if (current?.plan === fallbackPlan) return null;
  return { ...s, planFallback: { plan: fallbackPlan, since: at } };
}

/**
 * The plan fallback started: a tenant in `smtp` mode whose plan no longer allows it sends through the
 * platform. Keyed by the episode's start (`planFallback.since`), so one episode is told once.
 */
export function planFallbackCallbackEvent(input: { tenantId: string; plan: string; since: string }): CallbackEvent {
  return {
    type: 'settings.failing',
    key: `plan_fallback:${input.since}`,
    orderKey: settingsOrderKey(input.tenantId),
    timestamp: input.since,
    data: {
      tenantId: input.tenantId,
      reason: 'plan_fallback',
      mode: 'smtp',
      plan: input.plan,
      reply: hintOf('settings.planFallback', PLAN_FALLBACK_HINT, { plan: input.plan }),
    },
  };
}
