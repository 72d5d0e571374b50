import type { Logger } from 'pino';

/**
 * Runs `run` every `everyMs`, one run at a time (a slow run is not overlapped by the next). The timer
 * does not keep the process alive. `stop()` cancels the timer and waits for a run in progress, so the
 * store is not closed under it.
 */
export function schedulePeriodic(name: string, run: () => Promise<unknown>, everyMs: number, logger: Logger): () => Promise<void> {
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = run()
      .then(() => undefined)
      .catch((e: unknown) => logger.error({ err: e }, `${name} failed`))
      .finally(() => {
        running = undefined;
      });
  }, everyMs);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
