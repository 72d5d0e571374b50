/**
 * What Mailroom knows about each OAuth2 vendor whose mailboxes it can send from: where to send the
 * user to consent, where to exchange codes and refresh tokens, which scopes each way of sending
 * needs, and which id-token claim names the mailbox. Pure data; the endpoints are configuration
 * (tests point them at a local authorization server).
 */
export const OAUTH_VENDORS = ['google', 'microsoft'] as const;
export type OAuthVendorName = (typeof OAUTH_VENDORS)[number];

/** How the mailbox sends: XOAUTH2 over SMTP (both vendors), or Microsoft Graph's sendMail (Microsoft only). */
export const OAUTH_VIAS = ['smtp', 'graph'] as const;
export type OAuthVia = (typeof OAUTH_VIAS)[number];

export const GOOGLE_OAUTH_DEFAULTS = {
  authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
  tokenUrl: 'https://oauth2.googleapis.com/token',
} as const;

export const MICROSOFT_OAUTH_DEFAULTS = {
  loginUrl: 'https://login.microsoftonline.com',
  authority: 'common',
} as const;

/** Microsoft Graph, where a mailbox connected `via: "graph"` sends (MICROSOFT_GRAPH_URL). */
export const MICROSOFT_GRAPH_DEFAULT_URL = 'https://graph.microsoft.com';

/** The platform's OAuth app at each vendor (GOOGLE_OAUTH_*, MICROSOFT_OAUTH_* in the environment). */
export interface GoogleOAuthApp {
  clientId: string;
  clientSecret: string;
  /** Default GOOGLE_OAUTH_DEFAULTS.authUrl. */
  authUrl?: string;
  /** Default GOOGLE_OAUTH_DEFAULTS.tokenUrl. */
  tokenUrl?: string;
}

export interface MicrosoftOAuthApp {
  clientId: string;
  clientSecret: string;
  /** `common` (any work, school or personal account), `organizations`, or a directory (tenant) id. */
  authority?: string;
  /** Default MICROSOFT_OAUTH_DEFAULTS.loginUrl; `/{authority}/oauth2/v2.0/authorize|token` is appended. */
  loginUrl?: string;
}

/** The vendors the platform registered an app with; a vendor left out is not offered. */
export interface OAuthApps {
  google?: GoogleOAuthApp;
  microsoft?: MicrosoftOAuthApp;
}

export interface OAuthVendor {
  name: OAuthVendorName;
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** The ways of sending this vendor supports. */
  vias: readonly OAuthVia[];
  /** Query parameters the authorize URL needs besides the standard ones. */
  authorizeParams: Readonly<Record<string, string>>;
  /** The id-token claims that name the mailbox, in order of preference. */
  mailboxClaims: readonly string[];
  /** Microsoft wants the scopes again on a refresh (one resource per token); Google takes the grant's. */
  scopeOnRefresh: boolean;
}

const GOOGLE_SCOPES: Record<OAuthVia, readonly string[] | undefined> = {
  smtp: ['openid', 'email', 'https://mail.google.com/'],
  graph: undefined,
};

const MICROSOFT_SCOPES: Record<OAuthVia, readonly string[]> = {
  smtp: ['openid', 'email', 'offline_access', 'https://outlook.office.com/SMTP.Send'],
  graph: ['openid', 'email', 'offline_access', 'https://graph.microsoft.com/Mail.Send'],
};

/** The scopes to ask for: one resource per token, so SMTP and Graph are separate grants at Microsoft. */
export function scopesFor(vendor: OAuthVendorName, via: OAuthVia): string[] {
  const scopes = vendor === 'google' ? GOOGLE_SCOPES[via] : MICROSOFT_SCOPES[via];
  if (!scopes) throw new RangeError(`${vendor} cannot send via ${via}`);
  return [...scopes];
}

export function googleVendor(app: GoogleOAuthApp): OAuthVendor {
  return {
    name: 'google',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorizeUrl: app.authUrl ?? GOOGLE_OAUTH_DEFAULTS.authUrl,
    tokenUrl: app.tokenUrl ?? GOOGLE_OAUTH_DEFAULTS.tokenUrl,
    vias: ['smtp'],
    // Without access_type=offline Google issues no refresh token; without prompt=consent it issues
    // one only the first time a user consents, so a reconnect would come back without one.
    authorizeParams: { access_type: 'offline', prompt: 'consent' },
    mailboxClaims: ['email'],
    scopeOnRefresh: false,
  };
}

export function microsoftVendor(app: MicrosoftOAuthApp): OAuthVendor {
  const base = `${trimSlash(app.loginUrl ?? MICROSOFT_OAUTH_DEFAULTS.loginUrl)}/${encodeURIComponent(app.authority ?? MICROSOFT_OAUTH_DEFAULTS.authority)}/oauth2/v2.0`;
  return {
    name: 'microsoft',
    clientId: app.clientId,
    clientSecret: app.clientSecret,
    authorizeUrl: `${base}/authorize`,
    tokenUrl: `${base}/token`,
    vias: ['smtp', 'graph'],
    authorizeParams: { response_mode: 'query' },
    // `email` is optional in Microsoft id tokens; `preferred_username` is the sign-in name (the UPN),
    // which is the mailbox for work accounts.
    mailboxClaims: ['preferred_username', 'email'],
    scopeOnRefresh: true,
  };
}

/** The vendors configured, by name: what the settings screen may offer. */
export function configuredVendors(apps: OAuthApps): Partial<Record<OAuthVendorName, OAuthVendor>> {
  return {
    ...(apps.google ? { google: googleVendor(apps.google) } : {}),
    ...(apps.microsoft ? { microsoft: microsoftVendor(apps.microsoft) } : {}),
  };
}

/** The SMTP preset a connected mailbox sends through (its host, port and TLS come from the preset). */
export function smtpPresetOf(vendor: OAuthVendorName): 'gmail' | 'outlook' {
  return vendor === 'google' ? 'gmail' : 'outlook';
}

function trimSlash(url: string): string {
  return url.replace(/\/+$/, '');
}
