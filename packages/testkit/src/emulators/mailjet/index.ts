export * from './mailjet-api-types';
export * from './mailjet-emulator';
export * from './mailjet-events';
export { stringifyWithRawBigints } from './raw-bigint-json';
export { MAILJET_FORBIDDEN_HEADERS, isValidatedSender } from './validate-mailjet-message';
export type { StoredEventCallback } from './mailjet-callback-routes';
