export * from './sendgrid-transport';
export * from './build-sendgrid-mail';
export * from './classify-sendgrid-error';
export * from './create-sendgrid-client';
export * from './sendgrid-webhook';
export * from './sendgrid-registration';
export * from './sendgrid-module';
