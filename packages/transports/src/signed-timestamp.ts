import type { VerifyOutcome } from './webhook';

/**
 * How far ahead of our clock a signed timestamp may be: a clock that far off is not a retry, and the
 * providers' own clocks are not ahead of ours by more than NTP lets them drift.
 */
export const SIGNED_TIMESTAMP_AHEAD_SECONDS = 600;

/**
 * A provider's signed timestamp against our clock: stale when older than `maxAgeSeconds` or more than
 * SIGNED_TIMESTAMP_AHEAD_SECONDS (or `maxAgeSeconds`, when smaller) ahead of it. The window is not
 * symmetric because a provider's retry of a post we failed carries its first attempt's signature
 * (Mailgun's signature block is part of the body it resends): a retry hours later is genuine, a
 * timestamp hours ahead is not (decision 0077).
 */
export function staleSignedTimestamp(timestampSeconds: number, now: Date, maxAgeSeconds: number): VerifyOutcome | undefined {
  const age = now.getTime() / 1000 - timestampSeconds;
  const ahead = Math.min(SIGNED_TIMESTAMP_AHEAD_SECONDS, maxAgeSeconds);
  if (age > maxAgeSeconds)
    return { ok: false, reason: 'stale', message: `the signed timestamp is ${Math.round(age)} s old (at most ${maxAgeSeconds} s allowed)` };
  if (-age > ahead)
    return {
      ok: false,
      reason: 'stale',
      message: `the signed timestamp is ${Math.round(-age)} s ahead of our clock (at most ${ahead} s allowed)`,
    };
  return undefined;
}

/**
 * How long a token claimed now must be remembered to refuse its replays: until its timestamp leaves
 * the window, which a timestamp at the window's front edge does `maxAgeSeconds` plus the ahead
 * tolerance from now.
 */
export function replayMemorySeconds(maxAgeSeconds: number): number {
  return maxAgeSeconds + Math.min(SIGNED_TIMESTAMP_AHEAD_SECONDS, maxAgeSeconds);
}
