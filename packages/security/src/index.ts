export * from './secret-box';
export * from './signed-token';
export * from './tenant-token';
export * from './classify-address';
export * from './outbound-address-policy';
export * from './open-client-fingerprint';
