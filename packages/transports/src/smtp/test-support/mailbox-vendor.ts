import { OAuthServerEmulator, RunningSmtpSink, startOAuthServer, startSmtpSink, GraphEmulator } from '@mailroom/testkit';
import { startGraphFor } from '../../graph/test-support/emulator';

/** The scope each vendor's SMTP server checks an XOAUTH2 token for. */
const SMTP_SCOPES = { google: 'https://mail.google.com/', microsoft: 'https://outlook.office.com/SMTP.Send' } as const;

export interface MailboxVendor {
  vendor: 'google' | 'microsoft';
  /** The mailbox that signs in at the vendor and consents. */
  mailbox: string;
  /** The vendor's authorization server (consent, codes, tokens, revocation). */
  oauth: OAuthServerEmulator;
  /** The vendor's SMTP server, which takes AUTH XOAUTH2 with the server's tokens as the vendor does (implicit TLS). */
  smtp: RunningSmtpSink;
  /** Microsoft only: Graph's sendMail. */
  graph?: GraphEmulator;
  /** What points Mailroom at them: the platform's OAuth app and the vendor's endpoints. */
  env: Record<string, string>;
  /** The start request's server overrides that send through the local SMTP server instead of the real one. */
  server: { host: string; port: number; tls: boolean };
  close(): Promise<void>;
}

/**
 * A Gmail or Microsoft 365 mailbox, locally: the vendor's OAuth2 authorization server, its SMTP server
 * checking XOAUTH2 tokens against it (Gmail's 334 challenge or Office 365's 535 5.7.3 on a bad one),
 * and for Microsoft, Graph. `redirectUri` is Mailroom's PUBLIC_BASE_URL + /oauth/callback.
 */
export async function startMailboxVendor(vendor: 'google' | 'microsoft', mailbox: string, redirectUri: string): Promise<MailboxVendor> {
  const client = { clientId: `mailroom-${vendor}-app`, clientSecret: `${vendor}-platform-secret`, redirectUris: [redirectUri] };
  const oauth = await startOAuthServer({ flavour: vendor, clients: [client], user: { email: mailbox }, retireRotatedRefreshTokens: true });
  const smtp = await startSmtpSink({
    tls: 'implicit',
    auth: {
      users: {},
      xoauth2: {
        style: vendor === 'google' ? 'gmail' : 'office365',
        mailboxOf: (t) => oauth.isValidAccessToken(t, SMTP_SCOPES[vendor])?.email,
      },
    },
  });
  const graph = vendor === 'microsoft' ? await startGraphFor(oauth) : undefined;
  const env: Record<string, string> =
    vendor === 'google'
      ? {
          GOOGLE_OAUTH_CLIENT_ID: client.clientId,
          GOOGLE_OAUTH_CLIENT_SECRET: client.clientSecret,
          GOOGLE_OAUTH_AUTH_URL: oauth.urls.authorize,
          GOOGLE_OAUTH_TOKEN_URL: oauth.urls.token,
        }
      : {
          MICROSOFT_OAUTH_CLIENT_ID: client.clientId,
          MICROSOFT_OAUTH_CLIENT_SECRET: client.clientSecret,
          MICROSOFT_OAUTH_LOGIN_URL: oauth.urls.loginUrl,
          ...graph!.env,
        };
  return {
    vendor,
    mailbox,
    oauth,
    smtp,
    graph: graph?.graph,
    env,
    server: { host: '127.0.0.1', port: smtp.port, tls: true },
    async close() {
      await Promise.all([oauth.close(), smtp.close(), graph?.graph.close()]);
    },
  };
}
