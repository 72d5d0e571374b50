import type { DeliveryErrorFields } from './delivery-error';

/**
 * The one way a hint promises a retry: `fact` (what happened) joined to `promise` (that the email will
 * be retried), with `hintWithoutRetry` the fact alone, as a sentence, for when nothing will retry (the
 * last attempt, a test email; hintNotRetried). `joiner` keeps each hint's wording (": " or "; ").
 */
export function hintPromisingRetry(
  fact: string,
  promise: string,
  joiner = ': ',
): Required<Pick<DeliveryErrorFields, 'hint' | 'hintWithoutRetry'>> {
  return { hint: `${fact}${joiner}${promise}`, hintWithoutRetry: `${fact}.` };
}

/** Two pieces of advice as one text: the first ends as a sentence. */
export function joinHints(first: string | undefined, then: string): string {
  if (!first) return then;
  return /[.!?]$/.test(first) ? `${first} ${then}` : `${first}. ${then}`;
}

/**
 * The hint of an error that nothing will retry (a test email, the last attempt of a send): never the
 * promise of a retry a send's hint may make. `instead`, what to do now, replaces that promise; a hint
 * that promised nothing is kept as it is.
 */
export function hintNotRetried(err: Pick<DeliveryErrorFields, 'hint' | 'hintWithoutRetry'>, instead?: string): string | undefined {
  if (err.hintWithoutRetry === undefined) return err.hint;
  return instead ? joinHints(err.hintWithoutRetry, instead) : err.hintWithoutRetry;
}

/**
 * The hint recorded when the worker gives up on a temporary failure after its last attempt: what
 * happened, that it was tried `attempts` times, and how to send it again once the cause is gone.
 */
export function hintAfterLastAttempt(
  err: Pick<DeliveryErrorFields, 'hint' | 'hintWithoutRetry'>,
  attempts: number,
  retryPath: string,
): string {
  return joinHints(
    hintNotRetried(err),
    `Tried ${attempts} time${attempts === 1 ? '' : 's'} without success; nothing retries it now: retry it (POST ${retryPath}) once the server or provider accepts mail again.`,
  );
}
