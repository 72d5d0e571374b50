import type { Job, Queue } from 'bullmq';
import { callbackPayload, CallbackEvent } from '@mailroom/domain';
import type { Logger } from 'pino';
import { callbackMessageId } from './callback-message-id';
import type { CallbackPublishObserver } from './callback-observer';
import type { CallbackOrder } from './callback-order';
import { callbackJobOptions, CallbackJobData } from './callback-queue';

/** What the apps call after each store update: never throws into the caller's flow. */
export interface CallbackPublisher {
  publish(events: CallbackEvent[]): Promise<void>;
}

/** CALLBACK_URL unset: nothing is queued, nothing waits. */
export const noCallbacks: CallbackPublisher = { publish: async () => undefined };

export interface QueueCallbackPublisherDeps {
  queue: Queue<CallbackJobData>;
  order: CallbackOrder;
  logger: Logger;
  observer?: CallbackPublishObserver;
  /** The longest a publish holds its caller (default 2 s); past it the events are counted unpublished. */
  timeoutMs?: number;
  /** How long a job waits parked before it checks its turn by itself (default 10 min). */
  parkMs?: number;
}

export const DEFAULT_PARK_MS = 10 * 60_000;

/**
 * Puts events on the callbacks queue, one job per event, in order per email: the jobs are added
 * parked first, then registered in their email's order, and the head is promoted. A process that dies
 * in between leaves parked jobs that wake up and take their turn (decision 0022).
 */
export class QueueCallbackPublisher implements CallbackPublisher {
  private readonly timeoutMs: number;
  private readonly parkMs: number;

  constructor(private readonly deps: QueueCallbackPublisherDeps) {
    this.timeoutMs = deps.timeoutMs ?? 2000;
    this.parkMs = deps.parkMs ?? DEFAULT_PARK_MS;
  }

  async publish(events: CallbackEvent[]): Promise<void> {
    if (events.length === 0) return;
    let timer: NodeJS.Timeout | undefined;
    const work = this.publishAll(events);
    try {
      await Promise.race([
        work,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`the callbacks queue did not answer within ${this.timeoutMs} ms`)), this.timeoutMs);
        }),
      ]);
    } catch (error) {
      work.catch(() => undefined);
      for (const e of events) this.deps.observer?.callbackUnpublished(e.type);
      this.deps.logger.error(
        { err: error, events: events.map((e) => ({ type: e.type, orderKey: e.orderKey, key: e.key })) },
        'callbacks not published',
      );
    } finally {
      clearTimeout(timer);
    }
  }

  private async publishAll(events: CallbackEvent[]): Promise<void> {
    const byOrder = new Map<string, CallbackEvent[]>();
    for (const e of events) byOrder.set(e.orderKey, [...(byOrder.get(e.orderKey) ?? []), e]);
    await Promise.all([...byOrder].map(([orderKey, group]) => this.publishInOrder(orderKey, group)));
  }

  private async publishInOrder(orderKey: string, events: CallbackEvent[]): Promise<void> {
    const jobs = events.map((e) => {
      const msgId = callbackMessageId(orderKey, e.key);
      const data: CallbackJobData = { msgId, orderKey, type: e.type, body: JSON.stringify(callbackPayload(e)) };
      return { name: e.type, data, opts: callbackJobOptions(msgId, this.parkMs) };
    });
    await this.deps.queue.addBulk(jobs);
    const ids = jobs.map((j) => j.data.msgId);
    const head = await this.deps.order.register(orderKey, ids);
    if (head && ids.includes(head)) await promoteIfParked(this.deps.queue, head);
  }
}

/** Moves a parked job to the front of its turn; one already waiting, running or gone is left as it is. */
export async function promoteIfParked(queue: Queue<CallbackJobData>, jobId: string): Promise<void> {
  const job = await queue.getJob(jobId);
  if (!job) return;
  await release(job);
}

/**
 * Promotes a parked job, noting when (`releasedAt`): mailroom_queue_oldest_waiting_seconds counts a
 * callback's wait from its release, not from its add plus the park it did not sit out.
 */
export async function release(job: Job<CallbackJobData>): Promise<void> {
  await job.updateData({ ...job.data, releasedAt: Date.now() }).catch(() => undefined);
  await job.promote().catch(() => undefined);
}
