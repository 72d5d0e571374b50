/**
 * A backend call that did not answer in time. Callers decide by type (never by message): the HTTP
 * apps answer 503, readiness reports the check as failed.
 */
export class DeadlineExceededError extends Error {
  override readonly name = 'DeadlineExceededError';

  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not answer within ${ms} ms`);
  }
}

/**
 * `work`, or a DeadlineExceededError after `ms`: a request never waits on a backend longer than its
 * budget. The work itself is not cancelled (a promise cannot be), so what it does must be safe to
 * finish late; on the request-path Redis connection nothing is queued while it is down
 * (redis-connection.ts), so a late finish can only come from a server that stalled mid-command.
 */
export async function withinMs<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      work,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new DeadlineExceededError(what, ms)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
