import type { EmailSettings, EmailSettingsInput, ProviderSettings, SmtpSettings } from '@mailroom/domain';
import { resolveSmtpEndpoint } from '@mailroom/domain';
import type { SecretBox } from '@mailroom/security';
import { HttpError } from '../http/http-error';

/** The AAD that binds a sealed secret to its tenant and field. */
export const secretContext = (tenantId: string, field: string) => `${tenantId}:${field}`;

/**
 * Turns validated input into what is stored: secrets sealed, a secret left out kept from the stored
 * settings of the same kind, and nothing kept that the new mode does not use.
 */
export function buildSmtpSettings(
  tenantId: string,
  input: NonNullable<EmailSettingsInput['smtp']>,
  previous: EmailSettings | null,
  box: SecretBox,
): SmtpSettings {
  const endpoint = resolveSmtpEndpoint(input);
  const keep = previous?.mode === 'smtp' ? previous.smtp?.password : undefined;
  const password = input.password !== undefined ? box.seal(input.password, secretContext(tenantId, 'smtp.password')) : keep;
  if (!password)
    throw new HttpError(400, 'invalid_request', 'smtp.password: password is required the first time SMTP is configured', [
      { field: 'smtp.password', message: 'required' },
    ]);
  return { preset: input.preset, fromAddress: input.fromAddress, username: input.username, ...endpoint, password };
}

export function buildProviderSettings(
  tenantId: string,
  input: NonNullable<EmailSettingsInput['provider']>,
  previous: EmailSettings | null,
  box: SecretBox,
): ProviderSettings {
  const prev = previous?.mode === 'provider' && previous.provider?.name === input.name ? previous.provider : undefined;
  const seal = (v: string, field: string) => box.seal(v, secretContext(tenantId, `provider.${field}`));
  const privateApiKey = input.privateApiKey !== undefined ? seal(input.privateApiKey, 'privateApiKey') : prev?.privateApiKey;
  const publicApiKey = input.publicApiKey !== undefined ? seal(input.publicApiKey, 'publicApiKey') : prev?.publicApiKey;
  const missing = (field: string, why: string) =>
    new HttpError(400, 'invalid_request', `provider.${field}: ${why}`, [{ field: `provider.${field}`, message: why }]);
  if (!privateApiKey) throw missing('privateApiKey', `the ${input.name} private API key is required`);
  if (input.name === 'mailjet' && !publicApiKey)
    throw missing('publicApiKey', 'Mailjet needs the public API key as well as the private one');
  return {
    name: input.name,
    fromAddress: input.fromAddress,
    region: input.name === 'mailgun' ? (input.region ?? 'us') : 'us',
    ...(input.name === 'mailgun' ? { domain: input.domain ?? input.fromAddress.split('@')[1] } : {}),
    privateApiKey,
    ...(publicApiKey ? { publicApiKey } : {}),
    privateKeyHint: input.privateApiKey !== undefined ? input.privateApiKey.slice(-4) : prev?.privateKeyHint,
    ...(prev?.webhook ? { webhook: prev.webhook } : {}),
  };
}
