import { ConfigError, createLogger, loadConfig } from '@mailroom/config';
import { startWorker } from './worker-server';

async function main() {
  const config = loadConfig(process.env);
  const logger = createLogger('worker', config.logLevel);
  for (const n of config.notices) logger.warn(n);
  const worker = await startWorker(config, { logger });
  const shutdown = async (signal: string) => {
    logger.info({ signal }, 'draining: finishing the jobs in hand, taking no new ones');
    await worker.stop();
    process.exit(0);
  };
  process.once('SIGTERM', () => void shutdown('SIGTERM'));
  process.once('SIGINT', () => void shutdown('SIGINT'));
}

main().catch((e) => {
  console.error(e instanceof ConfigError ? `Configuration error: ${e.message}` : e);
  process.exit(1);
});
