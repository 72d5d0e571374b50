export * from './send-queue';
export * from './redis-connection';
