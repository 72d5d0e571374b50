/**
 * When a callback is tried: the schedule Svix uses for Standard Webhooks. The first attempt goes at
 * once; after a failure the next one waits 5 s, then 5 min, 30 min, 2 h, 5 h, 10 h and 10 h: eight
 * attempts over about 27.5 hours. Each wait is jittered by +/-20 % so many failed callbacks do not
 * return together, and multiplied by CALLBACK_RETRY_SCALE (tests shrink it).
 */
export const CALLBACK_RETRY_DELAYS_MS = [5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000] as const;
export const CALLBACK_ATTEMPTS = CALLBACK_RETRY_DELAYS_MS.length + 1;
export const CALLBACK_BACKOFF = 'callback-schedule';

/** The wait after `attemptsMade` failed attempts (1 after the first). */
export function callbackRetryDelayMs(attemptsMade: number, scale: number, random: () => number = Math.random): number {
  const i = Math.min(Math.max(attemptsMade, 1), CALLBACK_RETRY_DELAYS_MS.length) - 1;
  return Math.round(CALLBACK_RETRY_DELAYS_MS[i] * scale * (0.8 + 0.4 * random()));
}
