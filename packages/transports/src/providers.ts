import { mailgunModule } from './mailgun/mailgun-module';
import { mailjetModule } from './mailjet/mailjet-module';
import { platformModule } from './platform/platform-module';
import { ProviderRegistry } from './provider-registry';
import { sendgridModule } from './sendgrid/sendgrid-module';
import { smtpModule } from './smtp/smtp-module';

/**
 * Every transport Mailroom sends with, one line each (docs/decisions/0027). Adding a provider is its
 * folder (packages/transports/src/<name>/, with a `<name>-module.ts` implementing TransportModule, and
 * `test-support/emulator.ts` for the generic tests) and one line here; the apps take this registry
 * and hold no provider switch.
 */
export const TRANSPORT_MODULES = [
  platformModule,
  smtpModule, // password, or OAuth2 (XOAUTH2 over SMTP, or Microsoft Graph: ../graph)
  sendgridModule,
  mailgunModule,
  mailjetModule,
] as const;

export const PROVIDERS = new ProviderRegistry(TRANSPORT_MODULES);
