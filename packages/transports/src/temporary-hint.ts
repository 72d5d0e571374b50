import { HintFields, HintKey, HintParams, HintThen, hintPromisingRetry } from '@mailroom/domain';

/** What was being done when a provider failed for a while: only a send has a retry behind it (the worker's). */
export type ProviderAction = 'send' | 'register-webhook' | 'verify';

/** What to do after a temporary failure that nothing retries, by action. */
const AGAIN: Record<Exclude<ProviderAction, 'send'>, { then: HintThen; words: (provider: string) => string }> = {
  'register-webhook': {
    then: 'saveAgain',
    words: (provider) => `Nothing retries the registration: save the email settings again once ${provider} answers.`,
  },
  verify: { then: 'checkAgain', words: (provider) => `Nothing retries this check: try again once ${provider} answers.` },
};

/**
 * The hint of a temporary provider failure (unreachable, busy, rate-limited). A send's says the worker
 * retries it (hintPromisingRetry, which also gives it without that promise); a webhook registration or
 * a key check is never retried, so its hint says what to do instead. `promise` keeps the wording a
 * provider's hints always had; `params` are the values `situation` embeds.
 */
export function temporaryHint(
  key: HintKey,
  situation: string,
  action: ProviderAction,
  provider: string,
  { promise = 'the email will be retried', params }: { promise?: string; params?: HintParams } = {},
): HintFields {
  if (action === 'send') return hintPromisingRetry(key, situation, promise, { params });
  const again = AGAIN[action];
  return { hint: `${situation}. ${again.words(provider)}`, hintKey: key, hintParams: { ...params, provider }, hintThen: again.then };
}
