import type { Store } from '@mailroom/store';
import { removeOutboxFile } from '@mailroom/transports';
import type { Logger } from 'pino';

export interface ContentRetentionDeps {
  store: Store;
  logger: Logger;
  /** Where the platform's file outbox writes `<emailId>.eml` (it holds body and attachments too). */
  outboxDir: string;
  retentionSeconds: number;
  now: () => Date;
}

/**
 * Bounded growth of what is kept (decision 0016): an email's body and attachments are deleted
 * CONTENT_RETENTION_SECONDS after it reached a final status; its history record stays, with the
 * attachments' names and sizes and `contentPurgedAt`. Batch by batch: list, delete the outbox copy
 * (harmless if a retry re-queues the email meanwhile: the outbox is an output, never read back), then
 * purge in the store, which checks each email again. Safe with several workers at once.
 */
export async function purgeExpiredContent(deps: ContentRetentionDeps, batchSize = 100, maxBatches = 50): Promise<number> {
  const now = deps.now();
  const finalBefore = new Date(now.getTime() - deps.retentionSeconds * 1000).toISOString();
  let purged = 0;
  for (let batch = 0; batch < maxBatches; batch++) {
    const due = await deps.store.emails.listContentToPurge(finalBefore, batchSize);
    if (due.length === 0) break;
    for (const { id } of due) await removeOutboxFile(deps.outboxDir, id);
    const done = await deps.store.emails.purgeContent(due, finalBefore, now.toISOString());
    purged += done.length;
    if (due.length < batchSize) break;
  }
  if (purged > 0) deps.logger.info({ purged, finalBefore }, 'email contents past their retention deleted');
  return purged;
}
