export * from './emulators/http-emulator';
export * from './smtp';
export * from './emulators/sendgrid';
export * from './emulators/mailgun';
export * from './emulators/mailjet';
export * from './prometheus/parse-prometheus-text';
