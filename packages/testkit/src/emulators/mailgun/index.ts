export * from './mailgun-emulator';
export * from './mailgun-events';
export * from './mailgun-webhook-signer';
export { MAILGUN_WEBHOOK_NAMES } from './mailgun-account-routes';
export type { MailgunWebhookName } from './mailgun-account-routes';
export { formValue, formValues } from './parse-mailgun-form';
export type { MailgunForm, MailgunFormFile } from './parse-mailgun-form';
