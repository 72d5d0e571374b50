export * from './sendgrid-emulator';
export * from './sendgrid-events';
export * from './sendgrid-webhook-signer';
export * from './validate-sendgrid-mail';
export * from './sendgrid-event-webhooks';
