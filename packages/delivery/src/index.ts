export * from './transport-spec';
export * from './transport-cache';
export * from './build-message';
export * from './create-transport';
export * from './smtp-host-guard';
