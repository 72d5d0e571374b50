import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { DEFAULT_COLLECT_TIMEOUT_MS, registerCollectedGauge } from './collected-gauge';

/**
 * mailroom_callbacks_enabled: 1 while callbacks go out, 0 once a 410 Gone from the platform switched
 * them off for every tenant (until ops switch them on again). Read from Redis on each scrape, by the
 * workers of a deployment with CALLBACK_URL. No counter can say this: once off, the callbacks queue is
 * paused and nothing is attempted any more.
 */
export function watchCallbackSwitch(
  registry: Registry,
  callbackSwitch: { isEnabled(): Promise<boolean> },
  options: { timeoutMs?: number; logger?: Logger } = {},
): void {
  registerCollectedGauge(registry, {
    name: 'mailroom_callbacks_enabled',
    help: 'Whether platform callbacks are switched on (1) or off (0: a 410 Gone from the callback URL switched them off for every tenant; POST /ops/callbacks switches them on). Read from Redis on scrape; reported by workers when CALLBACK_URL is set.',
    labelNames: [],
    timeoutMs: options.timeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS,
    logger: options.logger,
    read: async () => [{ labels: {}, value: (await callbackSwitch.isEnabled()) ? 1 : 0 }],
  });
}
