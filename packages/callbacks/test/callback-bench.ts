import { randomBytes } from 'node:crypto';
import type { CallbackEvent, CallbackEventType } from '@mailroom/domain';
import pino from 'pino';
import type { Job } from 'bullmq';
import {
  CallbackJobData,
  CallbackObserver,
  CallbackOutcome,
  Callbacks,
  callbackMessageId,
  createCallbacks,
  RunningCallbackWorker,
  startCallbackWorker,
} from '../src';
import { CallbackReceiver, Script, startCallbackReceiver } from '@mailroom/testkit';
import { testRedis } from './redis-prefix';

/** Counts what the delivery reports, as the metrics would. */
export class RecordingObserver implements CallbackObserver {
  readonly attempts: { type: CallbackEventType; outcome: CallbackOutcome }[] = [];
  readonly unpublished: CallbackEventType[] = [];
  callbackAttempted(type: CallbackEventType, outcome: CallbackOutcome): void {
    this.attempts.push({ type, outcome });
  }
  callbackUnpublished(type: CallbackEventType): void {
    this.unpublished.push(type);
  }
  count(outcome: CallbackOutcome): number {
    return this.attempts.filter((a) => a.outcome === outcome).length;
  }
}

export const whsec = (key: Buffer): string => `whsec_${key.toString('base64')}`;

/** An email event as the domain makes them; `n` keeps keys distinct. */
export function emailEvent(emailId: string, type: Exclude<CallbackEventType, 'settings.failing'>, n = 1): CallbackEvent {
  const status = type.slice('email.'.length) as 'accepted';
  return {
    type,
    key: `${status}:client@example.com:${n}`,
    orderKey: `email:${emailId}`,
    timestamp: new Date().toISOString(),
    data: {
      tenantId: 'acme',
      emailId,
      document: { type: 'invoice', id: 'inv_42', number: 'F-2026-0042' },
      recipient: 'client@example.com',
      status,
      emailStatus: status,
      test: false,
    },
  };
}

export const idOf = (e: CallbackEvent): string => callbackMessageId(e.orderKey, e.key);

export interface Bench {
  receiver: CallbackReceiver;
  callbacks: Callbacks;
  worker: RunningCallbackWorker;
  observer: RecordingObserver;
  secrets: Buffer[];
  redis: ReturnType<typeof testRedis>['redis'];
  prefix: string;
  job(id: string): Promise<Job<CallbackJobData> | undefined>;
  stop(): Promise<void>;
}

/** A real receiver, a publisher and a callback worker on the real Redis under a prefix of their own. */
export async function startBench(
  options: {
    script?: Script;
    secrets?: Buffer[];
    timeoutMs?: number;
    parkMs?: number;
    retryScale?: number;
    receiverSecrets?: string[];
  } = {},
): Promise<Bench> {
  const secrets = options.secrets ?? [randomBytes(24)];
  const { redis, prefix, cleanup } = testRedis('delivery');
  const receiver = await startCallbackReceiver(options.receiverSecrets ?? secrets.map(whsec), options.script);
  const logger = pino({ level: process.env.MAILROOM_TEST_LOGS ? 'debug' : 'silent' });
  const observer = new RecordingObserver();
  const parkMs = options.parkMs ?? 60_000;
  const callbacks = createCallbacks({ redis, prefix, url: receiver.url, logger, observer, parkMs });
  const worker = await startCallbackWorker({
    redis,
    prefix,
    url: receiver.url,
    secrets,
    retryScale: options.retryScale ?? 0.001,
    logger,
    observer,
    timeoutMs: options.timeoutMs ?? 2000,
    parkMs,
  });
  return {
    receiver,
    callbacks,
    worker,
    observer,
    secrets,
    redis,
    prefix,
    job: (id) => callbacks.queue.getJob(id),
    stop: async () => {
      await worker.close();
      await callbacks.queue.obliterate({ force: true }).catch(() => undefined);
      await callbacks.close();
      await receiver.close();
      await cleanup();
    },
  };
}

export async function waitFor<T>(
  probe: () => T | undefined | false | Promise<T | undefined | false>,
  what: string,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
