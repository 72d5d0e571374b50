export * from './smtp-sink-types';
export * from './smtp-sink';
export * from './smtp-reply';
export * from './dead-end-servers';
export * from './self-signed-certificate';
export * from './sample-attachment';
export * from './parse-message';
export * from './smtp-sink-xoauth2';
