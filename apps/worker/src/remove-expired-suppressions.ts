import type { Store } from '@mailroom/store';
import type { Logger } from 'pino';

export interface SuppressionExpiryDeps {
  store: Store;
  logger: Logger;
  now: () => Date;
}

/**
 * Bounced and refused addresses leave the suppression list SUPPRESSION_BOUNCE_DAYS after they were put
 * there. Every read already ignores an expired entry; this deletes them for good, batch by batch, so
 * the list does not grow for ever (decision 0023). Safe with several workers at once.
 */
export async function removeExpiredSuppressions(deps: SuppressionExpiryDeps, batchSize = 500, maxBatches = 20): Promise<number> {
  const now = deps.now().toISOString();
  let removed = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const n = await deps.store.suppressions.removeExpired(now, batchSize);
    removed += n;
    if (n < batchSize) break;
  }
  if (removed > 0) deps.logger.info({ removed }, 'expired suppression entries removed');
  return removed;
}
