import { runMain } from '@mailroom/runtime';
import { startApi } from './api-server';

runMain('api', (config, logger) => startApi(config, { logger }));
