import type { Logger } from 'pino';
import { ConfigError } from './config-error';
import { Config, loadConfig } from './load-config';
import { createLogger } from './logger';

/**
 * The whole of each app's main.ts: parse the environment once, say the loud notices, start, and
 * stop cleanly on SIGTERM/SIGINT (the worker drains its jobs in hand). A bad variable exits 1 with
 * its name.
 */
export function runMain(app: string, start: (config: Config, logger: Logger) => Promise<{ stop(): Promise<void> }>): void {
  const boot = async () => {
    const config = loadConfig(process.env);
    const logger = createLogger(app, config.logLevel);
    for (const n of config.notices) logger.warn(n);
    // One stop, whatever the signals: Ctrl-C under a supervisor (scripts/run-all.mjs) sends SIGINT from
    // the terminal and SIGTERM from the supervisor at once, and the stop sequence runs only once. Before
    // the start has finished nothing is in hand: the app exits at once (a start waiting on Redis or the
    // store would otherwise hold the signal).
    const state: { running?: { stop(): Promise<void> }; signalled?: string } = {};
    const shutdown = (signal: string) => {
      if (state.signalled !== undefined) return void logger.debug({ signal }, 'already stopping');
      state.signalled = signal;
      if (state.running) return stop(state.running, signal);
      logger.info({ signal }, 'stopping before the start finished: nothing in hand');
      process.exit(0);
    };
    const stop = (app: { stop(): Promise<void> }, signal: string) => {
      logger.info({ signal }, 'stopping: finishing what is in hand, taking nothing new');
      app.stop().then(
        () => process.exit(0),
        (err: unknown) => {
          logger.error({ err }, 'could not stop cleanly');
          process.exit(1);
        },
      );
    };
    process.on('SIGTERM', () => shutdown('SIGTERM'));
    process.on('SIGINT', () => shutdown('SIGINT'));
    state.running = await start(config, logger);
  };
  boot().catch((e) => {
    console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : e);
    process.exit(1);
  });
}
