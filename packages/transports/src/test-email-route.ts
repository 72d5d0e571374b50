import type { EmailSettings } from '@mailroom/domain';

/** The way the test goes out, as a tenant knows it (not the raw mode name). */
export type TestEmailRoute =
  | { kind: 'platform' }
  | { kind: 'smtpServer'; host: string }
  | { kind: 'mailbox'; vendor: string }
  | { kind: 'providerAccount'; provider: string };

/** Mailboxes connected with OAuth2, by the preset they send through, named as their owners know them. */
const MAILBOX_VENDORS: Record<string, string> = { gmail: 'Gmail', outlook: 'Microsoft 365' };

/** Which way the settings send, in the tenant's terms; `providerLabel` names a provider for people (its module's label). */
export function testEmailRoute(settings: EmailSettings, providerLabel: (name: string) => string): TestEmailRoute {
  if (settings.mode === 'provider' && settings.provider)
    return { kind: 'providerAccount', provider: providerLabel(settings.provider.name) };
  if (settings.mode === 'smtp' && settings.smtp) {
    const { auth, preset, host } = settings.smtp as { auth?: string; preset?: string; host?: string };
    const vendor = MAILBOX_VENDORS[preset ?? ''];
    if (auth === 'oauth2' && vendor) return { kind: 'mailbox', vendor };
    return { kind: 'smtpServer', host: String(host ?? '') };
  }
  return { kind: 'platform' };
}
