import { decideAfterFailure, FailureContext } from './after-failure';

const ctx = (over: Partial<FailureContext> = {}): FailureContext => ({
  made: 0,
  max: 4,
  nowMs: 1_000_000,
  createdAtMs: 1_000_000 - 60_000,
  rateLimitGraceMs: 86_400_000,
  backoff: { baseMs: 1000, maxMs: 600_000 },
  rateLimitedSoFar: 0,
  random: () => 0.5,
  ...over,
});

describe('what follows a failed send', () => {
  it('gives up on a permanent error at once', () => {
    expect(decideAfterFailure({ retryable: false }, ctx())).toEqual({ kind: 'give_up' });
  });

  it('retries a temporary error with the jittered backoff, and gives up on the last attempt', () => {
    expect(decideAfterFailure({ retryable: true }, ctx({ made: 0 }))).toEqual({ kind: 'retry', delayMs: 1000 });
    expect(decideAfterFailure({ retryable: true }, ctx({ made: 2 }))).toEqual({ kind: 'retry', delayMs: 4000 });
    expect(decideAfterFailure({ retryable: true, retryAfterMs: 7000 }, ctx())).toEqual({ kind: 'retry', delayMs: 7000 });
    expect(decideAfterFailure({ retryable: true }, ctx({ made: 3 }))).toEqual({ kind: 'give_up' });
  });

  it('defers a rate limit until the Retry-After without using up an attempt, even on the last one', () => {
    expect(decideAfterFailure({ retryable: true, rateLimited: true, retryAfterMs: 30_000 }, ctx({ made: 3 }))).toEqual({
      kind: 'defer',
      untilMs: 1_030_000,
    });
    // Without Retry-After, the wait grows with the rate limits already met.
    expect(decideAfterFailure({ retryable: true, rateLimited: true }, ctx({ rateLimitedSoFar: 0 }))).toEqual({
      kind: 'defer',
      untilMs: 1_001_000,
    });
    expect(decideAfterFailure({ retryable: true, rateLimited: true }, ctx({ rateLimitedSoFar: 3 }))).toEqual({
      kind: 'defer',
      untilMs: 1_008_000,
    });
  });

  it('counts a rate limit as an attempt once the email is older than the grace period', () => {
    const old = ctx({ createdAtMs: 1_000_000 - 86_400_000 });
    expect(decideAfterFailure({ retryable: true, rateLimited: true, retryAfterMs: 30_000 }, old)).toEqual({
      kind: 'retry',
      delayMs: 30_000,
    });
    expect(decideAfterFailure({ retryable: true, rateLimited: true }, { ...old, made: 3 })).toEqual({ kind: 'give_up' });
  });
});
