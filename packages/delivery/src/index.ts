export * from './transport-spec';
export * from './transport-cache';
export * from './build-message';
export * from './create-transport';
export * from './smtp-host-guard';
export * from './shared-platform-transport';
