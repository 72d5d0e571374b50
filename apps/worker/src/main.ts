import { runMain } from '@mailroom/config';
import { startWorker } from './worker-server';

runMain('worker', (config, logger) => startWorker(config, { logger }));
