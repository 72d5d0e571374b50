export * from './address-ranges';
export * from './config-error';
export * from './env-schema';
export * from './load-config';
export * from './oauth-config';
export * from './logger';
export * from './run-main';
export * from './run-command';
