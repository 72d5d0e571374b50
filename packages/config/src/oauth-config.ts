import { ConfigError } from './config-error';
import type { Env } from './env-schema';

/**
 * The platform's OAuth apps (one per vendor), with which tenants connect their Gmail or Microsoft 365
 * mailbox. A vendor without a client id is not offered; a client id without its secret (or the
 * reverse) is a mistake, named at start. The shape is @mailroom/oauth's OAuthApps.
 */
export interface OAuthConfig {
  google?: { clientId: string; clientSecret: string; authUrl: string; tokenUrl: string };
  microsoft?: { clientId: string; clientSecret: string; authority: string; loginUrl: string };
  /** MICROSOFT_GRAPH_URL: where a mailbox connected via Graph sends. */
  graphUrl: string;
  /** Hosts the callback may send the admin's browser back to (exact names, `host:port` pins a port). */
  returnHosts: string[];
}

const RETURN_HOST = /^(\[[0-9a-f:.]+\]|[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*)(:\d{1,5})?$/i;

function pair(
  idVar: string,
  id: string | undefined,
  secretVar: string,
  secret: string | undefined,
): { id: string; secret: string } | undefined {
  if (!id && !secret) return undefined;
  if (!id) throw new ConfigError(idVar, `is required when ${secretVar} is set`);
  if (!secret) throw new ConfigError(secretVar, `is required when ${idVar} is set`);
  return { id, secret };
}

export function parseOAuthConfig(e: Env, notices: string[]): OAuthConfig {
  const google = pair('GOOGLE_OAUTH_CLIENT_ID', e.GOOGLE_OAUTH_CLIENT_ID, 'GOOGLE_OAUTH_CLIENT_SECRET', e.GOOGLE_OAUTH_CLIENT_SECRET);
  const microsoft = pair(
    'MICROSOFT_OAUTH_CLIENT_ID',
    e.MICROSOFT_OAUTH_CLIENT_ID,
    'MICROSOFT_OAUTH_CLIENT_SECRET',
    e.MICROSOFT_OAUTH_CLIENT_SECRET,
  );
  const returnHosts = e.OAUTH_RETURN_HOSTS.split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  for (const host of returnHosts) {
    if (!RETURN_HOST.test(host))
      throw new ConfigError('OAUTH_RETURN_HOSTS', `"${host}" is not a host name (or host:port), e.g. app.example.com`);
  }
  if (!google && !microsoft)
    notices.push(
      'GOOGLE_OAUTH_CLIENT_ID and MICROSOFT_OAUTH_CLIENT_ID are not set: connecting Gmail or Microsoft 365 mailboxes is not offered.',
    );
  return {
    ...(google
      ? {
          google: {
            clientId: google.id,
            clientSecret: google.secret,
            authUrl: e.GOOGLE_OAUTH_AUTH_URL,
            tokenUrl: e.GOOGLE_OAUTH_TOKEN_URL,
          },
        }
      : {}),
    ...(microsoft
      ? {
          microsoft: {
            clientId: microsoft.id,
            clientSecret: microsoft.secret,
            authority: e.MICROSOFT_OAUTH_AUTHORITY,
            loginUrl: e.MICROSOFT_OAUTH_LOGIN_URL,
          },
        }
      : {}),
    graphUrl: e.MICROSOFT_GRAPH_URL.replace(/\/+$/, ''),
    returnHosts,
  };
}
