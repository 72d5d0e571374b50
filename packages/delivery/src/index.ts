export * from './transport-cache';
export * from './build-message';
export * from './smtp-host-guard';
export * from './shared-platform-transport';
export * from './mailbox-tokens';
export * from './oauth-connector';
