import type { EmailSettings, SmtpPreset } from '@mailroom/domain';
import type { SecretBox } from '@mailroom/security';

/** Settings with their secrets opened: lives only in a worker's (or test email's) memory, never stored or queued. */
export type TransportSpec =
  | { kind: 'platform' }
  | { kind: 'smtp'; preset: SmtpPreset; host: string; port: number; tls: boolean; username: string; password: string }
  | { kind: 'sendgrid'; apiKey: string }
  | { kind: 'mailgun'; apiKey: string; domain: string; region: 'eu' | 'us' }
  | { kind: 'mailjet'; publicKey: string; privateKey: string };

/** Must match the context the API sealed with (tenantId:field). */
export const secretContext = (tenantId: string, field: string) => `${tenantId}:${field}`;

export class SettingsIncompleteError extends Error {
  override readonly name = 'SettingsIncompleteError';
}

export function specFromSettings(s: EmailSettings, box: SecretBox): TransportSpec {
  const open = (sealed: string | undefined, field: string) => {
    if (!sealed) throw new SettingsIncompleteError(`${field} is not set`);
    return box.open(sealed, secretContext(s.tenantId, field));
  };
  switch (s.mode) {
    case 'platform':
      return { kind: 'platform' };
    case 'smtp': {
      const m = s.smtp;
      if (!m) throw new SettingsIncompleteError('smtp settings are missing');
      return {
        kind: 'smtp',
        preset: m.preset,
        host: m.host,
        port: m.port,
        tls: m.tls,
        username: m.username,
        password: open(m.password, 'smtp.password'),
      };
    }
    case 'provider': {
      const p = s.provider;
      if (!p) throw new SettingsIncompleteError('provider settings are missing');
      const privateKey = open(p.privateApiKey, 'provider.privateApiKey');
      if (p.name === 'sendgrid') return { kind: 'sendgrid', apiKey: privateKey };
      if (p.name === 'mailgun')
        return { kind: 'mailgun', apiKey: privateKey, domain: p.domain ?? p.fromAddress.split('@')[1], region: p.region };
      return { kind: 'mailjet', privateKey, publicKey: open(p.publicApiKey, 'provider.publicApiKey') };
    }
  }
}

/** The field name a tenant's webhook verification key is sealed under (API seals, webhooks opens). */
export const WEBHOOK_KEY_FIELD = 'provider.webhook.verificationKey';
