import { runMain } from '@mailroom/runtime';
import { startWorker } from './worker-server';

runMain('worker', (config, logger) => startWorker(config, { logger }));
