export * from './address';
export * from './plans';
export * from './status';
export * from './smtp-presets';
export * from './settings';
export * from './email';
export * from './delivery-error';
export * from './history';
