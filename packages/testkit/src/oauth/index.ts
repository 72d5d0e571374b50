export * from './shared-grant-store';
