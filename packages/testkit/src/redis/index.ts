export * from './test-redis';
export * from './redis-server-process';
export * from './redis-cluster';
export * from './redis-fault-proxy';
