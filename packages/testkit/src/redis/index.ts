export * from './test-redis';
export * from './redis-server-process';
