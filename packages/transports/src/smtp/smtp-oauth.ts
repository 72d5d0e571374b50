import type { MailboxGrant, RenewedMailboxTokens } from '../access-token-source';
import type { ConnectedMailbox, ModuleOAuth } from '../provider-module';
import type { TenantSecrets } from '../tenant-secrets';
import { PRESET_ENDPOINTS } from './smtp-presets';
import { OAUTH_PRESETS, resolveSmtpEndpoint, SmtpSettings } from './smtp-settings';
import { vetSmtpHost } from './vet-smtp-host';

const REFRESH_TOKEN = 'smtp.oauth.refreshToken';
const ACCESS_TOKEN = 'smtp.oauth.accessToken';

/** The sealed fields of a connection, for re-sealing (pnpm reseal). */
export const SMTP_OAUTH_SEALED_FIELDS = [
  {
    field: REFRESH_TOKEN,
    get: (s: SmtpSettings) => s.oauth?.refreshToken,
    set: (s: SmtpSettings, v: string): SmtpSettings => ({ ...s, oauth: { ...s.oauth!, refreshToken: v } }),
  },
  {
    field: ACCESS_TOKEN,
    get: (s: SmtpSettings) => s.oauth?.accessToken,
    set: (s: SmtpSettings, v: string): SmtpSettings => ({ ...s, oauth: { ...s.oauth!, accessToken: v } }),
  },
];

/**
 * A Gmail or Microsoft 365 mailbox connected with OAuth2, as the smtp module keeps it: the callback
 * stores it (`connected`), the token manager reads it (`grant`) and writes renewed tokens
 * (`renewed`, through a store update that keeps the settings version, so pooled transports stay).
 */
export const smtpOAuth: ModuleOAuth<SmtpSettings> = {
  grant(s, secrets): MailboxGrant | undefined {
    const c = s.auth === 'oauth2' ? s.oauth : undefined;
    if (!c) return undefined;
    return {
      vendor: c.vendor,
      via: c.via,
      refreshToken: secrets.open(REFRESH_TOKEN, c.refreshToken),
      ...(c.accessToken ? { accessToken: secrets.open(ACCESS_TOKEN, c.accessToken), accessTokenExpiresAt: c.accessTokenExpiresAt } : {}),
      connectedAt: c.connectedAt,
    };
  },

  renewed(s, tokens: RenewedMailboxTokens, secrets: TenantSecrets): SmtpSettings {
    const c = s.oauth!;
    return {
      ...s,
      oauth: {
        ...c,
        accessToken: secrets.seal(ACCESS_TOKEN, tokens.accessToken),
        accessTokenExpiresAt: tokens.accessTokenExpiresAt,
        refreshToken: tokens.refreshTokenRotated ? secrets.seal(REFRESH_TOKEN, tokens.refreshToken) : c.refreshToken,
      },
    };
  },

  connected(m: ConnectedMailbox, _previous, secrets): SmtpSettings {
    const preset = OAUTH_PRESETS[m.vendor];
    return {
      preset,
      auth: 'oauth2',
      fromAddress: m.mailbox,
      username: m.mailbox,
      ...resolveSmtpEndpoint({ preset, ...m.server }),
      oauth: {
        vendor: m.vendor,
        via: m.via,
        mailbox: m.mailbox,
        refreshToken: secrets.seal(REFRESH_TOKEN, m.refreshToken),
        accessToken: secrets.seal(ACCESS_TOKEN, m.accessToken),
        accessTokenExpiresAt: m.accessTokenExpiresAt,
        connectedAt: m.connectedAt,
      },
    };
  },

  /** The server a connection would send through, checked before the admin is sent to consent. */
  async vet(connection, context) {
    if (connection.via !== 'smtp') return;
    const preset = OAUTH_PRESETS[connection.vendor];
    const host = connection.server?.host ?? PRESET_ENDPOINTS[preset].host;
    await vetSmtpHost(host, context);
  },
};
