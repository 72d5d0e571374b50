import type { Queue } from 'bullmq';
import type { Cluster, Redis } from 'ioredis';
import type { CallbackJobData } from './callback-queue';

export interface CallbackLastError {
  at: string;
  type: string;
  msgId: string;
  status?: number;
  code: string;
  message: string;
}

export interface CallbackSwitchState {
  enabled: boolean;
  disabledAt?: string;
  disabledReason?: string;
  lastError?: CallbackLastError;
  lastDeliveredAt?: string;
}

/**
 * Whether callbacks are on, shared by every process through one Redis hash. A 410 Gone from the
 * platform switches them off: the flag goes down and the callbacks queue is paused, so events wait in
 * it (kept, not dropped) until ops switch them on again (POST /ops/callbacks), which resumes the queue.
 * The flag decides; the pause only keeps workers from fetching what they would put back.
 */
export class CallbackSwitch {
  private readonly key: string;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly queue: Queue<CallbackJobData>,
    prefix: string,
  ) {
    this.key = `${prefix}:callback-switch`;
  }

  async isEnabled(): Promise<boolean> {
    return (await this.redis.hget(this.key, 'enabled')) !== '0';
  }

  async disable(reason: string, at: string): Promise<void> {
    await this.redis.hset(this.key, { enabled: '0', disabledAt: at, disabledReason: reason.slice(0, 500) });
    await this.queue.pause();
  }

  async enable(): Promise<void> {
    await this.redis.multi().hset(this.key, 'enabled', '1').hdel(this.key, 'disabledAt', 'disabledReason').exec();
    await this.queue.resume();
  }

  async recordError(error: CallbackLastError): Promise<void> {
    await this.redis.hset(this.key, 'lastError', JSON.stringify(error));
  }

  async recordDelivered(at: string): Promise<void> {
    await this.redis.hset(this.key, 'lastDeliveredAt', at);
  }

  async state(): Promise<CallbackSwitchState> {
    const h = await this.redis.hgetall(this.key);
    return {
      enabled: h.enabled !== '0',
      ...(h.disabledAt ? { disabledAt: h.disabledAt } : {}),
      ...(h.disabledReason ? { disabledReason: h.disabledReason } : {}),
      ...(h.lastError ? { lastError: JSON.parse(h.lastError) as CallbackLastError } : {}),
      ...(h.lastDeliveredAt ? { lastDeliveredAt: h.lastDeliveredAt } : {}),
    };
  }
}
