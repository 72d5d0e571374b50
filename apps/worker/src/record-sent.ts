import { applySendSuccess, EmailRecord, SendSuccess } from '@mailroom/domain';
import type { SendJobData } from '@mailroom/queue';
import type { Logger } from 'pino';
import { RetryScheduledError } from './after-failure';
import type { WorkerDeps } from './worker-deps';

/** The waits between tries of the write that records a send: the store busy for a moment (SQLite's lock, a Mongo election). */
const RECORD_SENT_RETRY_MS = [250, 1000, 3000];

/**
 * Records a send the server accepted (decision 0078). A store error here is not a failed send: recorded
 * as one, the email would be retried and sent twice. The write is tried again while the job's lock
 * lasts, and applies only to the attempt this run marked (`markedAt`: a write that landed although it
 * threw is not applied twice). When the store still refuses, the attempt stays marked in flight and the
 * job is retried later: that run finds it, records it `interrupted` (the server may have it) and sends
 * again, as after a worker that died mid-send (decision 0064).
 */
export async function recordSent(
  deps: WorkerDeps,
  { tenantId, emailId }: SendJobData,
  markedAt: string | undefined,
  ok: SendSuccess,
  retryAt: string | undefined,
  log: Logger,
): Promise<void> {
  const at = deps.now().toISOString();
  const apply = (e: EmailRecord) => (e.attemptInFlightSince === markedAt ? applySendSuccess(e, ok, at, retryAt) : null);
  for (let tried = 0; ; tried++) {
    try {
      await deps.store.emails.update(tenantId, emailId, apply);
      return;
    } catch (e) {
      const waitMs = RECORD_SENT_RETRY_MS[tried];
      if (waitMs === undefined) {
        log.error({ err: e }, 'sent, but the store did not take the outcome: the next attempt records it interrupted');
        throw new RetryScheduledError('the accepted send could not be recorded', deps.config.send.retryBaseMs);
      }
      log.warn({ err: e, retryInMs: waitMs }, 'sent, but the store did not take the outcome yet: writing it again');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}
