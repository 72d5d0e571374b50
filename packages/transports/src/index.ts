export * from './transport';
export * from './webhook';
export * from './http-failure';
export * from './smtp';
export * from './platform';
export * from './sendgrid';
export * from './mailgun';
export * from './mailjet';
