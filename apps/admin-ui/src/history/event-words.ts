import type { Attempt } from '../api/types';
import type { I18n } from '../i18n/i18n';

/**
 * Our own words for why we did not send are on the recipient already (in the reader's language); an
 * interrupted attempt's are the event's own label and the attempt's hint.
 */
const OUR_DECISIONS = new Set(['suppressed', 'canceled', 'interrupted']);

/** The code of an attempt whose worker stopped mid-send (the domain's INTERRUPTED_ATTEMPT_CODE). */
const INTERRUPTED = 'interrupted';

/** A reason Mailroom itself gives an event (a queued event's `retry`) has its own words; a server's reason is shown as it said it. */
function ourReason(i18n: I18n, ev: { type: string; reason?: string }): string {
  return ev.reason ? i18n.tOr(`event.${ev.type}.${ev.reason}`, '') : '';
}

/** "En cola", or "En cola de nuevo: reintento pedido" for the queued event of a Retry. */
export function eventWords(i18n: I18n, ev: { type: string; reason?: string }): string {
  return ourReason(i18n, ev) || i18n.tOr(`event.${ev.type}`, ev.type);
}

/** The event's reason as the server or provider gave it, shown after its words; empty when our own words already say it. */
export function shownReason(i18n: I18n, ev: { type: string; reason?: string }): string {
  return ev.reason && !OUR_DECISIONS.has(ev.type) && !ourReason(i18n, ev) ? ev.reason : '';
}

/** "Accepted", "Failed", or "Interrupted" for an attempt whose worker stopped mid-send. */
export function attemptOutcome(i18n: I18n, a: Pick<Attempt, 'ok' | 'code'>): string {
  return i18n.t(a.ok ? 'email.attempt.ok' : a.code === INTERRUPTED ? 'email.attempt.interrupted' : 'email.attempt.failed');
}
