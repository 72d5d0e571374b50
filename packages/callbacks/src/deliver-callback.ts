import { DelayedError, Job, Queue, UnrecoverableError } from 'bullmq';
import type { Logger } from 'pino';
import type { CallbackObserver } from './callback-observer';
import type { CallbackOrder, Claim } from './callback-order';
import { promoteIfParked, release } from './callback-publisher';
import type { CallbackJobData } from './callback-queue';
import type { CallbackAttemptResult } from './callback-response';
import { callbackHeaders } from './callback-signature';
import type { CallbackSwitch } from './callback-switch';
import { postCallback } from './post-callback';
import { CALLBACK_ATTEMPTS } from './retry-schedule';

export interface CallbackDeliveryDeps {
  url: string;
  /** Signing keys, the first first (all sign during a rotation). */
  keys: readonly Buffer[];
  timeoutMs: number;
  parkMs: number;
  queue: Queue<CallbackJobData>;
  order: CallbackOrder;
  onOff: CallbackSwitch;
  logger: Logger;
  observer?: CallbackObserver;
  now: () => Date;
}

/** A held job (callbacks off) looks again after this; the paused queue keeps it waiting meanwhile. */
const HOLD_MS = 1000;
const ENDED: ReadonlySet<string> = new Set(['unknown', 'completed', 'failed']);

/** A retryable failure: BullMQ tries again on the callback schedule. Its fields decide, not its message. */
export class CallbackAttemptError extends Error {
  override readonly name = 'CallbackAttemptError';
  constructor(readonly result: CallbackAttemptResult) {
    super(`${result.code}: ${result.message}`);
  }
}

/**
 * One attempt at one callback. Reads as its flow: callbacks on? this event's turn in its email's
 * order? post it signed; then by the answer: delivered (the next event of the email goes), 410 (switch
 * callbacks off and keep this one), retry on the schedule, or give up (the next event goes).
 */
export async function deliverCallback(deps: CallbackDeliveryDeps, job: Job<CallbackJobData>, token?: string): Promise<void> {
  const { msgId, orderKey, type, body } = job.data;
  const log = deps.logger.child({ msgId, orderKey, type, attempt: job.attemptsMade + 1 });
  if (!(await deps.onOff.isEnabled())) return hold(deps, job, token, log);

  const claim = await claimTurn(deps, orderKey, msgId, log);
  if (claim.state === 'done') return void log.info('already delivered; not sending again');
  if (claim.state === 'wait') return park(deps, job, token);

  const at = deps.now();
  const result = await postCallback(deps.url, callbackHeaders(deps.keys, msgId, at, body), body, deps.timeoutMs);
  if (result.verdict === 'delivered') {
    const next = await deps.order.finish(orderKey, msgId, true);
    await deps.onOff.recordDelivered(at.toISOString());
    deps.observer?.callbackAttempted(type, 'delivered');
    log.info({ status: result.status }, 'callback delivered');
    if (next) await promoteIfParked(deps.queue, next);
    return;
  }
  await deps.onOff.recordError({ at: at.toISOString(), type, msgId, status: result.status, code: result.code, message: result.message });
  if (result.verdict === 'gone') {
    await deps.onOff.disable(`the callback URL answered ${result.status} Gone`, at.toISOString());
    log.warn({ status: result.status }, 'callback URL is gone: callbacks switched off until ops switch them on (POST /ops/callbacks)');
    return hold(deps, job, token, log);
  }
  const lastAttempt = job.attemptsMade + 1 >= (job.opts.attempts ?? CALLBACK_ATTEMPTS);
  if (result.verdict === 'retry' && !lastAttempt) {
    deps.observer?.callbackAttempted(type, 'retry');
    log.warn({ status: result.status, code: result.code }, 'callback not delivered; will retry');
    throw new CallbackAttemptError(result);
  }
  const next = await deps.order.finish(orderKey, msgId, false);
  deps.observer?.callbackAttempted(type, 'failed');
  log.warn({ status: result.status, code: result.code, lastAttempt }, 'callback given up');
  if (next) await promoteIfParked(deps.queue, next);
  throw new UnrecoverableError(`callback given up: ${result.code}: ${result.message}`);
}

/** This event's turn; a head whose job is gone or ended without finishing is skipped (logged). */
async function claimTurn(deps: CallbackDeliveryDeps, orderKey: string, msgId: string, log: Logger): Promise<Claim> {
  let claim = await deps.order.claim(orderKey, msgId);
  for (let skipped = 0; claim.state === 'wait' && skipped < 10; skipped++) {
    const headState = await deps.queue.getJobState(claim.head);
    if (!ENDED.has(headState)) break;
    log.warn({ head: claim.head, headState }, 'the event before this one has no live job; going on without it');
    await deps.order.dropHead(orderKey, claim.head);
    claim = await deps.order.claim(orderKey, msgId);
  }
  return claim;
}

/**
 * Not this event's turn: back to delayed until promoted. If the head finished while this job was
 * still active (its promote then missed this job), the check after parking sees it and promotes now.
 */
async function park(deps: CallbackDeliveryDeps, job: Job<CallbackJobData>, token?: string): Promise<never> {
  await job.moveToDelayed(Date.now() + deps.parkMs, token);
  const again = await deps.order.claim(job.data.orderKey, job.data.msgId);
  if (again.state === 'head') await release(job);
  throw new DelayedError();
}

/** Callbacks are off: the event is kept (delayed, in a paused queue) and goes when they are on again. */
async function hold(deps: CallbackDeliveryDeps, job: Job<CallbackJobData>, token: string | undefined, log: Logger): Promise<never> {
  await deps.queue.pause();
  deps.observer?.callbackAttempted(job.data.type, 'disabled');
  log.info('callbacks are switched off; event kept');
  await job.moveToDelayed(Date.now() + HOLD_MS, token);
  throw new DelayedError();
}
