import { DelayedError, Job } from 'bullmq';

/**
 * Puts the job back to sleep until `untilMs` without using up an attempt: BullMQ moves it to the
 * delayed set and, because the processor then throws DelayedError, neither counts a failure nor
 * emits 'failed'. Call it from the processor with the token BullMQ gave it; it never returns.
 * Use it for our own throttle (a tenant's sending limit) and for a provider's Retry-After.
 */
export async function deferJob(job: Job, token: string | undefined, untilMs: number): Promise<never> {
  await job.moveToDelayed(Math.ceil(untilMs), token);
  throw new DelayedError(`deferred until ${new Date(untilMs).toISOString()}`);
}
