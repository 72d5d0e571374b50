import type { Queue } from 'bullmq';
import type { CallbackJobData } from './callback-queue';
import type { CallbackSwitch, CallbackSwitchState } from './callback-switch';

export interface CallbackStatus extends CallbackSwitchState {
  /** CALLBACK_URL is set. */
  configured: boolean;
  /** Where callbacks go, without credentials or query (it may carry a token). */
  url?: string;
  /** While switched off, events are kept in the queue, never dropped. */
  whileDisabled: 'kept';
  /** Events not delivered yet (waiting, delayed, active): while switched off, how many are kept. */
  pending: number;
  counts: Record<string, number>;
  paused: boolean;
  workers: number;
}

/** The URL for people to read: scheme, host and path only. */
export function describeCallbackUrl(url: string): string {
  const u = new URL(url);
  return `${u.protocol}//${u.host}${u.pathname}`;
}

/** What ops see and do at /ops/callbacks. */
export class CallbackControl {
  constructor(
    private readonly queue: Queue<CallbackJobData>,
    private readonly onOff: CallbackSwitch,
    private readonly url: string | undefined,
  ) {}

  async status(): Promise<CallbackStatus> {
    const [state, counts, paused, workers] = await Promise.all([
      this.onOff.state(),
      this.queue.getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      this.queue.isPaused(),
      this.queue.getWorkersCount(),
    ]);
    return {
      configured: this.url !== undefined,
      ...(this.url ? { url: describeCallbackUrl(this.url) } : {}),
      ...state,
      whileDisabled: 'kept',
      pending: (counts.waiting ?? 0) + (counts.prioritized ?? 0) + (counts.active ?? 0) + (counts.delayed ?? 0),
      counts,
      paused,
      workers,
    };
  }

  async setEnabled(enabled: boolean, at: string): Promise<CallbackStatus> {
    if (enabled) await this.onOff.enable();
    else await this.onOff.disable('switched off by ops', at);
    return this.status();
  }
}
