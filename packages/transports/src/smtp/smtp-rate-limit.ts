/**
 * Whether an SMTP reply says the *sender* is over a rate: the worker then defers the email without
 * using up an attempt (DeliveryError `rateLimited`). Only a temporary (4xx) reply qualifies, and only
 * with words servers use for it:
 * - Gmail: `421-4.7.28 ... unusual rate of unsolicited mail`, `450-4.2.1 ... receiving mail at a rate
 *   that prevents additional messages`, `421 4.7.0 Try again later, closing connection`,
 *   `454 4.7.0 Too many login attempts`;
 * - Office 365: `4.5.127 Message submission rate for this client has exceeded the configured limit`,
 *   `432 4.3.2 ... concurrent connections limit exceeded` style "too many" replies;
 * - generic: "rate limit", "too many connections/messages", "throttled".
 * A mailbox "over quota" is the recipient's problem, not a rate, and stays an ordinary retry.
 */
const RATE_LIMIT_WORDS: readonly RegExp[] = [
  /\brate\b/i,
  /too many/i,
  /throttl/i,
  /\b4\.7\.28\b/,
  /\b4\.5\.127\b/,
  /\b4\.7\.0\b.*try again later/i,
];

export function isRateLimitReply(responseCode: number | undefined, response: string | undefined): boolean {
  if (responseCode === undefined || responseCode < 400 || responseCode >= 500 || !response) return false;
  return RATE_LIMIT_WORDS.some((words) => words.test(response));
}
