import type { DeliveryErrorFields } from './delivery-error';
import type { HintKey, HintParams } from './hint-keys';
import { withoutUndefined } from './without-undefined';

/** A hint as a DeliveryError carries it: the words, their key, and the words without a retry's promise. */
export type HintFields = Pick<DeliveryErrorFields, 'hint' | 'hintWithoutRetry' | 'hintKey' | 'hintParams' | 'hintThen'>;

/** A hint as it is recorded (an attempt, `lastFailure`, a test email's answer): what was said, and its key. */
export type RecordedHint = Pick<DeliveryErrorFields, 'hint' | 'hintKey' | 'hintParams' | 'hintThen'>;

/** A hint that promises nothing: its words and their key (with the values they embed). */
export function hintOf(key: HintKey, hint: string, params?: HintParams): HintFields {
  return { hint, hintKey: key, ...(params ? { hintParams: params } : {}) };
}

/**
 * The one way a hint promises a retry: `fact` (what happened) joined to `promise` (that the email will
 * be retried), with `hintWithoutRetry` the fact alone, as a sentence, for when nothing will retry (the
 * last attempt, a test email; hintNotRetried). `joiner` keeps each hint's wording (": " or "; ").
 */
export function hintPromisingRetry(
  key: HintKey,
  fact: string,
  promise: string,
  options: { joiner?: string; params?: HintParams } = {},
): HintFields & Required<Pick<HintFields, 'hint' | 'hintWithoutRetry'>> {
  return {
    hint: `${fact}${options.joiner ?? ': '}${promise}`,
    hintWithoutRetry: `${fact}.`,
    hintKey: key,
    ...(options.params ? { hintParams: options.params } : {}),
    hintThen: 'retry',
  };
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

/** What is recorded of an error's hint as it was given (a retry follows, or the hint promised nothing). */
export function recordedHint(err: HintFields): RecordedHint {
  const { hint, hintKey, hintParams, hintThen } = err;
  return withoutUndefined({ hint, hintKey, hintParams, hintThen });
}

/** A test email's hint: nothing retries it, so a promise of a retry becomes "send it again later". */
export function hintForTestEmail(err: HintFields): RecordedHint {
  if (err.hintWithoutRetry === undefined) return recordedHint(err);
  return withoutUndefined({
    hint: hintNotRetried(err, 'Nothing retries a test email: send it again later.'),
    hintKey: err.hintKey,
    hintParams: err.hintParams,
    hintThen: 'testEmail',
  });
}

/**
 * The hint recorded when the worker gives up on a temporary failure after its last attempt: what
 * happened, that it was tried `attempts` times, and how to send it again once the cause is gone.
 */
export function hintAfterLastAttempt(err: HintFields, attempts: number, retryPath: string): RecordedHint {
  return withoutUndefined({
    hint: joinHints(
      hintNotRetried(err),
      `Tried ${attempts} time${attempts === 1 ? '' : 's'} without success; nothing retries it now: retry it (POST ${retryPath}) once the server or provider accepts mail again.`,
    ),
    hintKey: err.hintKey,
    hintParams: { ...err.hintParams, attempts, retryPath },
    hintThen: 'lastAttempt',
  });
}
