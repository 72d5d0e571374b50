export * from './run-main';
export * from './open-backends';
export * from './http-listener';
