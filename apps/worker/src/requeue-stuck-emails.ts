import type { Queue } from 'bullmq';
import { SendJobData, sendJobOptions, SendPolicy } from '@mailroom/queue';
import type { Store } from '@mailroom/store';
import type { Logger } from 'pino';

/**
 * The safety net under "never a record without its job": an email still `queued` long after it was
 * created has lost its job (the API died between the two writes, or Redis lost data). Re-adding is
 * harmless: the job id is the email id, so BullMQ ignores it when the job still exists.
 */
export async function requeueStuckEmails(
  deps: { store: Store; queue: Queue<SendJobData>; logger: Logger; policy: SendPolicy },
  olderThan: Date,
  limit = 500,
): Promise<number> {
  const stuck = await deps.store.emails.listStuckQueued(olderThan.toISOString(), limit);
  for (const { tenantId, id } of stuck) {
    await deps.queue.add('send', { tenantId, emailId: id }, sendJobOptions(id, deps.policy));
  }
  if (stuck.length > 0) deps.logger.warn({ count: stuck.length }, 're-enqueued emails whose jobs were missing');
  return stuck.length;
}

/** Runs the sweep every `everyMs`, one at a time; returns a stop function. */
export function scheduleStuckSweep(run: () => Promise<unknown>, everyMs: number, logger: Logger): () => void {
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    run()
      .catch((e) => logger.error({ err: e }, 'stuck-email sweep failed'))
      .finally(() => {
        running = false;
      });
  }, everyMs);
  timer.unref();
  return () => clearInterval(timer);
}
