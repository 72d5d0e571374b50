import type { EmailEvent } from './email';

/**
 * Opens cannot grow an email's record without bound (decision 0017). The counters (`opens.count`,
 * `opens.machineCount`) count every open; the timeline keeps at most MAX_OPEN_EVENTS of them: the
 * first FIRST_OPEN_EVENTS_KEPT (when the email was first looked at, scanners included) and the latest
 * ones (what is happening now). A client loading the pixel again within a minute counts once.
 */
export const MAX_OPEN_EVENTS = 50;
export const FIRST_OPEN_EVENTS_KEPT = 10;
export const REPEAT_OPEN_WINDOW_MS = 60_000;
/** Distinct clients remembered for the repeat window; more in one minute and the oldest are forgotten. */
export const MAX_RECENT_OPEN_CLIENTS = 50;

export interface RecentOpenClient {
  /** An opaque identity of the client (the webhooks app's keyed hash of user agent and IP). */
  client: string;
  at: string;
}

/** The same client opened within the window before (or after: events arrive out of order). */
export function isRepeatOpen(recent: readonly RecentOpenClient[] | undefined, client: string, at: string): boolean {
  const t = Date.parse(at);
  return (recent ?? []).some((r) => r.client === client && Math.abs(t - Date.parse(r.at)) < REPEAT_OPEN_WINDOW_MS);
}

/** Remembers this client's open; forgets entries older than the window, and the oldest beyond the cap. */
export function rememberOpenClient(recent: readonly RecentOpenClient[] | undefined, client: string, at: string): RecentOpenClient[] {
  const t = Date.parse(at);
  const kept = (recent ?? []).filter((r) => r.client !== client && t - Date.parse(r.at) < REPEAT_OPEN_WINDOW_MS);
  return [...kept, { client, at }].slice(-MAX_RECENT_OPEN_CLIENTS);
}

/**
 * The timeline (sorted by time) with at most MAX_OPEN_EVENTS open events: the first ones and the
 * latest ones stay, those in between go. Every other event stays. `omitted`: how many went.
 */
export function capOpenEvents(events: EmailEvent[]): { events: EmailEvent[]; omitted: number } {
  const opens = events.flatMap((e, i) => (e.type === 'opened' ? [i] : []));
  if (opens.length <= MAX_OPEN_EVENTS) return { events, omitted: 0 };
  const latestKept = MAX_OPEN_EVENTS - FIRST_OPEN_EVENTS_KEPT;
  const dropped = new Set(opens.slice(FIRST_OPEN_EVENTS_KEPT, opens.length - latestKept));
  return { events: events.filter((_, i) => !dropped.has(i)), omitted: dropped.size };
}
