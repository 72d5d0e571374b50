import type { Queue } from 'bullmq';
import { Admission, JobOptionsFor, SendJobData, TenantLanes } from '@mailroom/queue';

/**
 * How a held enqueue goes on: add the jobs, fail as if Redis were gone, or add them and fail anyway (an
 * answer lost after Redis took the jobs).
 */
export type Release = 'add' | 'fail' | 'add-then-fail';

/** Resolves from outside: the test decides when a held enqueue goes on, and how. */
function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

/**
 * The API's tenant lanes with a hold (`startMailroom`'s `apiLanes` option): the next enqueue (admission
 * and job adds, one script) signals that it was called, then waits until the test releases it. Every
 * other enqueue goes straight through. No sleeps decide the order of a race test.
 */
export class HeldLanes extends TenantLanes {
  private hold?: {
    entered: ReturnType<typeof deferred<void>>;
    release: ReturnType<typeof deferred<Release>>;
    beforeFailing?: () => Promise<void>;
  };

  /** Holds the next enqueue; `beforeFailing` runs after an 'add-then-fail' added the jobs, before it throws. */
  holdNextEnqueue(beforeFailing?: () => Promise<void>) {
    const hold = { entered: deferred<void>(), release: deferred<Release>(), beforeFailing };
    this.hold = hold;
    return { entered: hold.entered.promise, release: (how: Release) => hold.release.resolve(how) };
  }

  override async admitAndEnqueue(
    queue: Queue<SendJobData>,
    tenantId: string,
    ids: string[],
    optionsFor: JobOptionsFor,
  ): Promise<Admission> {
    const hold = this.hold;
    if (!hold) return super.admitAndEnqueue(queue, tenantId, ids, optionsFor);
    this.hold = undefined;
    hold.entered.resolve();
    const how = await hold.release.promise;
    if (how === 'fail') throw new Error('Connection is closed.');
    const admission = await super.admitAndEnqueue(queue, tenantId, ids, optionsFor);
    if (how === 'add-then-fail') {
      await hold.beforeFailing?.();
      throw new Error('queue did not answer within 20000 ms');
    }
    return admission;
  }
}
