export * from './smtp-transport';
export * from './smtp-host-guard';
export * from './classify-smtp-error';
export * from './smtp-hints';
export * from './to-nodemailer-message';
export * from './smtp-xoauth2-login';
export * from './smtp-rate-limit';
