export * from './file-outbox-transport';
export * from './platform-transport-from-url';
export * from './outbox-files';
export * from './platform-module';
