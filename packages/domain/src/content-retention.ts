import type { EmailRecord } from './email';
import { FINAL_STATUSES } from './status';

/**
 * Keeps `finalAt`, the content retention clock, in step with the status:
 * - reaching a final status starts it (once: later events such as opens do not restart it);
 * - queued or sending again (a retry of ours) stops it: the content is needed;
 * - deferred leaves it as it is: our own deferral comes before any final status, while a provider's
 *   deferral after acceptance is the provider's retry, which needs nothing from us.
 */
export function withFinalAt(rec: EmailRecord, at: string): EmailRecord {
  if (FINAL_STATUSES.has(rec.status)) return rec.finalAt ? rec : { ...rec, finalAt: at };
  if ((rec.status === 'queued' || rec.status === 'sending') && rec.finalAt !== undefined) {
    const { finalAt: _stopped, ...rest } = rec;
    return rest;
  }
  return rec;
}

/** Whether the body and attachments are gone: a retry is refused (410), a send fails with a clear reason. */
export function isContentPurged(rec: Pick<EmailRecord, 'contentPurgedAt'>): boolean {
  return rec.contentPurgedAt !== undefined;
}
