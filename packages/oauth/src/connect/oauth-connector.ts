import { buildAuthorizeUrl } from '../authorize-url';
import { isOAuthError } from '../oauth-error';
import { IdTokenError, mailboxFromIdToken } from '../id-token';
import { configuredVendors, OAuthApps, OAuthVendor, OAuthVendorName, OAuthVia } from '../oauth-vendors';
import type { OAuthStates, PendingConnection, RedeemedState } from '../state/oauth-states';
import type { TokenEndpoint } from '../token-endpoint';

/** Why a connection could not be started or finished; `code` goes into the `{ error: { code } }` answer. */
export type OAuthConnectFailure =
  | 'vendor_not_configured'
  | 'via_not_supported'
  | 'state_missing'
  | 'consent_refused'
  | 'code_missing'
  /** The vendor's token endpoint refused the code (its OAuthError is the `cause`). */
  | 'code_refused'
  /** The vendor's token endpoint could not be reached or answered 5xx: try again. */
  | 'vendor_unavailable'
  | 'no_refresh_token'
  | 'no_mailbox';

export class OAuthConnectError extends Error {
  override readonly name = 'OAuthConnectError';
  constructor(
    readonly code: OAuthConnectFailure,
    message: string,
    /** The pending connection when the state was valid: the callback can still redirect to its returnUrl. */
    readonly pending?: PendingConnection,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The callback's query, as the vendor sent it. */
export interface OAuthCallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
}

/** A connected mailbox: what the callback seals and saves as the tenant's settings. */
export interface ConnectedMailbox extends PendingConnection {
  /** From the id token: the SMTP username (XOAUTH2 user) and the From address. */
  mailbox: string;
  /** Sealed (field `smtp.oauth.refreshToken`) before it is stored; never shown. */
  refreshToken: string;
  accessToken: string;
  accessTokenExpiresAt: number;
  scope?: string;
}

export interface OAuthConnectorOptions {
  apps: OAuthApps;
  states: OAuthStates;
  tokenEndpoint: TokenEndpoint;
  /** PUBLIC_BASE_URL + '/oauth/callback', registered with both vendors. */
  redirectUri: string;
}

/**
 * The connect flow, for the two routes that wire it: `start` for
 * `POST .../email-settings/oauth/{vendor}/start` (API) and `finish` for `GET /oauth/callback`
 * (webhooks app). Errors: OAuthConnectError (the request's or the vendor's refusal, with the pending
 * connection once the state was good), OAuthStateError (forged, expired or reused state: 400).
 */
export class OAuthConnector {
  private readonly vendors: Partial<Record<OAuthVendorName, OAuthVendor>>;

  constructor(private readonly options: OAuthConnectorOptions) {
    this.vendors = configuredVendors(options.apps);
  }

  /** The vendors the platform has an app with: offer only these. */
  offered(): OAuthVendorName[] {
    return Object.keys(this.vendors) as OAuthVendorName[];
  }

  async start(pending: PendingConnection & { loginHint?: string }): Promise<{ authorizeUrl: string; expiresAt: number }> {
    const { loginHint, ...connection } = pending;
    const vendor = this.vendorFor(connection.vendor, connection.via);
    const issued = await this.options.states.issue(connection);
    const authorizeUrl = buildAuthorizeUrl(vendor, {
      via: connection.via,
      redirectUri: this.options.redirectUri,
      state: issued.state,
      codeChallenge: issued.codeChallenge,
      loginHint,
    });
    return { authorizeUrl, expiresAt: issued.expiresAt };
  }

  async finish(query: OAuthCallbackQuery): Promise<ConnectedMailbox> {
    if (!query.state) throw new OAuthConnectError('state_missing', 'the callback has no state');
    // Redeemed first, whatever the vendor said: a state is good for one callback only.
    const redeemed = await this.options.states.redeem(query.state);
    const pending = withoutVerifier(redeemed);
    if (query.error) {
      const words = query.error_description ? `: ${query.error_description.split(/\r?\n/)[0]}` : '';
      throw new OAuthConnectError('consent_refused', `the mailbox was not connected (${query.error}${words})`, pending);
    }
    if (!query.code) throw new OAuthConnectError('code_missing', 'the callback has neither a code nor an error', pending);
    return this.exchange(redeemed, query.code);
  }

  private async exchange(redeemed: RedeemedState, code: string): Promise<ConnectedMailbox> {
    const pending = withoutVerifier(redeemed);
    const vendor = this.vendorFor(pending.vendor, pending.via);
    let tokens;
    try {
      tokens = await this.options.tokenEndpoint.exchangeCode(vendor, {
        code,
        redirectUri: this.options.redirectUri,
        codeVerifier: redeemed.codeVerifier,
      });
    } catch (e) {
      // With the pending connection, so the callback can still send the admin back to say so.
      if (!isOAuthError(e)) throw e;
      const why = e.kind === 'temporary' ? 'vendor_unavailable' : 'code_refused';
      throw new OAuthConnectError(why, `${vendor.name} did not accept the connection: ${e.message}`, pending, { cause: e });
    }
    if (!tokens.refreshToken) {
      throw new OAuthConnectError(
        'no_refresh_token',
        `${vendor.name} granted no refresh token, so Mailroom could not keep sending: connect again and accept every permission`,
        pending,
      );
    }
    if (!tokens.idToken) throw new OAuthConnectError('no_mailbox', `${vendor.name} sent no id token naming the mailbox`, pending);
    let mailbox: string;
    try {
      mailbox = mailboxFromIdToken(vendor, tokens.idToken);
    } catch (e) {
      if (e instanceof IdTokenError) throw new OAuthConnectError('no_mailbox', e.message, pending);
      throw e;
    }
    return {
      ...pending,
      mailbox,
      refreshToken: tokens.refreshToken,
      accessToken: tokens.accessToken,
      accessTokenExpiresAt: tokens.expiresAt,
      scope: tokens.scope,
    };
  }

  private vendorFor(name: OAuthVendorName, via: OAuthVia): OAuthVendor {
    const vendor = this.vendors[name];
    if (!vendor) throw new OAuthConnectError('vendor_not_configured', `connecting with ${name} is not offered on this platform`);
    if (!vendor.vias.includes(via)) throw new OAuthConnectError('via_not_supported', `${name} mailboxes cannot send via ${via}`);
    return vendor;
  }
}

function withoutVerifier(redeemed: RedeemedState): PendingConnection {
  const pending: PendingConnection & { codeVerifier?: string } = { ...redeemed };
  delete pending.codeVerifier;
  return pending;
}
