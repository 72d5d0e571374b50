export * from './open-backends';
export * from './http-listener';
