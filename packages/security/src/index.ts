export * from './secret-box';
export * from './signed-token';
export * from './tenant-token';
