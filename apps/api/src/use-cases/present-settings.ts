import type { EmailSettings } from '@mailroom/domain';
import { lastFailureWarnings, SettingsWarning, settingsWarnings } from './settings-warnings';

/** The settings as the API shows them: every secret replaced by whether it is set. */
export function presentSettings(s: EmailSettings, extraWarnings: SettingsWarning[] = []) {
  const base = {
    mode: s.mode,
    senderName: s.senderName,
    replyTo: s.replyTo ?? null,
    cc: s.cc,
    bcc: s.bcc,
    version: s.version,
    updatedAt: s.updatedAt,
  };
  const smtp = s.smtp && {
    preset: s.smtp.preset,
    fromAddress: s.smtp.fromAddress,
    username: s.smtp.username,
    host: s.smtp.host,
    port: s.smtp.port,
    tls: s.smtp.tls,
    hasPassword: Boolean(s.smtp.password),
  };
  const p = s.provider;
  const provider = p && {
    name: p.name,
    fromAddress: p.fromAddress,
    ...(p.name === 'mailgun' ? { region: p.region, domain: p.domain } : {}),
    hasPrivateApiKey: Boolean(p.privateApiKey),
    privateApiKeyLast4: p.privateKeyHint ?? null,
    ...(p.name === 'mailjet' ? { hasPublicApiKey: Boolean(p.publicApiKey) } : {}),
  };
  const webhook = p?.webhook && {
    url: p.webhook.url,
    registered: p.webhook.registered,
    ...(p.webhook.error ? { error: p.webhook.error } : {}),
    lastEventAt: p.webhook.lastEventAt ?? null,
    hasVerificationKey: Boolean(p.webhook.verificationKey),
  };
  return {
    ...base,
    ...(smtp ? { smtp } : {}),
    ...(provider ? { provider } : {}),
    ...(webhook ? { webhook } : {}),
    warnings: [...settingsWarnings(s), ...lastFailureWarnings(s), ...extraWarnings],
  };
}
