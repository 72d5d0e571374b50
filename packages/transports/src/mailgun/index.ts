export { MailgunTransport } from './mailgun-transport';
export type { MailgunTransportOptions, MailgunLogger } from './mailgun-transport';
export { createMailgunClient } from './create-mailgun-client';
export type { MailgunClient, MailgunConnection } from './create-mailgun-client';
export {
  buildMailgunMessage,
  stripAngleBrackets,
  MAILGUN_EMAIL_ID_VAR,
  MAILGUN_TENANT_ID_VAR,
  MAILROOM_EMAIL_ID_HEADER,
} from './build-mailgun-message';
export type { MailgunMessagePlan } from './build-mailgun-message';
export { classifyMailgunError, isMailgunApiError, networkCodeOf, MAILGUN_401_HINT } from './classify-mailgun-error';
export type { MailgunAction, MailgunErrorContext, MailgunApiErrorShape } from './classify-mailgun-error';
export { verifyMailgunWebhook, parseMailgunEvent } from './mailgun-webhook';
export { MailgunWebhookPayloadError } from './mailgun-webhook-payload-error';
export { registerMailgunWebhook, mergeWebhookUrls, MAILGUN_WEBHOOK_NAMES } from './mailgun-registration';
export type { MailgunWebhookRegistrationInput } from './mailgun-registration';
export * from './mailgun-module';
