export * from './api-server';
export * from './build-app';
export type { ApiDeps } from './api-deps';
