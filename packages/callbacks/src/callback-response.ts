/**
 * What an attempt's answer means, by status and error type, never by message text:
 * 2xx delivered; 410 Gone switches callbacks off (the endpoint says it is gone for good); 429, 5xx,
 * a timeout or a connection error are worth trying again; any other answer (4xx, and 3xx: redirects
 * are not followed) is final for this event.
 */
export type CallbackVerdict = 'delivered' | 'gone' | 'retry' | 'final';

export interface CallbackAttemptResult {
  verdict: CallbackVerdict;
  /** HTTP status, when the endpoint answered. */
  status?: number;
  /** `http_<status>`, `timeout`, or the network error's code (`ECONNREFUSED`...). */
  code: string;
  /** A short excerpt of the answer, or the error, for /ops/callbacks and the log. */
  message: string;
}

export function verdictOfStatus(status: number): CallbackVerdict {
  if (status >= 200 && status < 300) return 'delivered';
  if (status === 410) return 'gone';
  if (status === 429 || status >= 500) return 'retry';
  return 'final';
}
