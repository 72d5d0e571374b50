import { GraphTransport } from '../graph/graph-transport';
import type { TransportContext, TransportModule } from '../provider-module';
import type { TenantSecrets } from '../tenant-secrets';
import type { Transport } from '../transport';
import { PRESET_LIMITS, SmtpPreset, tenantSmtpConnections } from './smtp-presets';
import { SMTP_OAUTH_SEALED_FIELDS, smtpOAuth } from './smtp-oauth';
import {
  presentedSmtpSchema,
  presentSmtpSettings,
  resolveSmtpEndpoint,
  SMTP_PASSWORD_FIELD,
  smtpFailureWarning,
  SmtpSettings,
  SmtpSettingsInput,
  smtpInputSchema,
  smtpSettingsWarnings,
  storeSmtpSettings,
} from './smtp-settings';
import { SmtpTransport } from './smtp-transport';
import { vetSmtpHost } from './vet-smtp-host';

interface SmtpServerSpec {
  preset: SmtpPreset;
  host: string;
  port: number;
  tls: boolean;
  username: string;
}

type SmtpSpec = (SmtpServerSpec & { auth: 'password'; password: string }) | (SmtpServerSpec & { auth: 'oauth2'; via: 'smtp' | 'graph' });

/**
 * The tenant's own mailbox server (`smtp` mode): Gmail, Office 365, IONOS or any other, with its
 * password, or a Gmail / Microsoft 365 mailbox connected with OAuth2, which sends with XOAUTH2 over
 * SMTP or, for Microsoft 365 organisations that turned SMTP AUTH off, through Microsoft Graph.
 */
export const smtpModule: TransportModule<SmtpSettingsInput, SmtpSettings, SmtpSpec> = {
  name: 'smtp',
  label: 'SMTP',
  mode: 'smtp',
  settings: {
    input: smtpInputSchema,
    store: storeSmtpSettings,
    sealedFields: [
      { field: SMTP_PASSWORD_FIELD, get: (s) => s.password, set: (s, v) => ({ ...s, password: v }) },
      ...SMTP_OAUTH_SEALED_FIELDS,
    ],
    present: presentSmtpSettings,
    presented: presentedSmtpSchema,
    warnings: smtpSettingsWarnings,
    failureWarning: smtpFailureWarning,
    vet: (input, context) => vetSmtpHost(resolveSmtpEndpoint(input).host, context),
    presetLimits: (s) => (s.preset === 'other' ? undefined : PRESET_LIMITS[s.preset]),
  },
  spec: (s, secrets) => smtpSpec(s, secrets),
  createTransport: (spec, context) => (spec.auth === 'password' ? passwordTransport(spec, context) : oauthTransport(spec, context)),
  oauth: smtpOAuth,
};

function smtpSpec(s: SmtpSettings, secrets: TenantSecrets): SmtpSpec {
  const server = { preset: s.preset, host: s.host, port: s.port, tls: s.tls, username: s.username };
  if (s.auth === 'oauth2' && s.oauth) return { ...server, auth: 'oauth2', via: s.oauth.via };
  return { ...server, auth: 'password', password: secrets.open(SMTP_PASSWORD_FIELD, s.password) };
}

function passwordTransport(spec: SmtpServerSpec & { password: string }, context: TransportContext): Transport {
  return new SmtpTransport({
    host: spec.host,
    port: spec.port,
    tls: spec.tls,
    username: spec.username,
    password: spec.password,
    preset: spec.preset,
    pool: { maxConnections: tenantSmtpConnections(spec.preset, context.config.smtpMaxConnections) },
    timeouts: smtpTimeouts(context.config.timeouts),
    logger: context.logger,
    tenantId: context.tenantId,
    hostGuard: context.smtpHosts,
  });
}

function oauthTransport(spec: SmtpServerSpec & { via: 'smtp' | 'graph' }, context: TransportContext): Transport {
  if (!context.accessTokens) throw new Error('a mailbox connected with OAuth2 needs an access token source, and none was given');
  const tokens = context.accessTokens();
  if (spec.via === 'graph')
    return new GraphTransport({
      baseUrl: context.config.oauth.graphUrl,
      tokens,
      timeoutMs: context.config.timeouts.providerMs,
      logger: context.logger,
    });
  return new SmtpTransport({
    host: spec.host,
    port: spec.port,
    tls: spec.tls,
    oauth2: { user: spec.username, tokens },
    preset: spec.preset,
    pool: { maxConnections: tenantSmtpConnections(spec.preset, context.config.smtpMaxConnections) },
    timeouts: smtpTimeouts(context.config.timeouts),
    logger: context.logger,
    tenantId: context.tenantId,
    hostGuard: context.smtpHosts,
  });
}

/** Every SMTP conversation is bounded (SMTP_*_TIMEOUT_MS). */
export function smtpTimeouts(t: TransportContext['config']['timeouts']) {
  return { connectionMs: t.smtpConnectionMs, greetingMs: t.smtpGreetingMs, socketMs: t.smtpSocketMs };
}
