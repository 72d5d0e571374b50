import { failureKindOf, OAuthError } from './oauth-error';
import type { OAuthVendor, OAuthVia } from './oauth-vendors';
import { scopesFor } from './oauth-vendors';

/** What a token endpoint gave us. Lives in memory only: the caller seals what it keeps. */
export interface TokenSet {
  accessToken: string;
  /** When the access token stops working (epoch ms), from `expires_in`. */
  expiresAt: number;
  /** Absent when the vendor issued none (Google on a refresh) or did not rotate it. */
  refreshToken?: string;
  /** The OpenID Connect id token (code exchange, and refreshes of an `openid` grant). */
  idToken?: string;
  /** The scopes granted, space-separated, as the vendor said them. */
  scope?: string;
}

export interface TokenEndpointOptions {
  /** Every call is bounded by this (AbortSignal.timeout). */
  timeoutMs: number;
  now?: () => number;
}

/**
 * The two calls Mailroom makes to a vendor's token endpoint (RFC 6749 §4.1.3 and §6), with the
 * client secret in the form body (client_secret_post, which both vendors accept), Node's fetch and
 * a timeout. Failures are OAuthErrors whose `kind` says what to do (oauth-error.ts).
 */
export class TokenEndpoint {
  private readonly now: () => number;

  constructor(private readonly options: TokenEndpointOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Trades the code the vendor sent to the callback, proving with the PKCE verifier that we asked for it. */
  exchangeCode(vendor: OAuthVendor, input: { code: string; redirectUri: string; codeVerifier: string }): Promise<TokenSet> {
    return this.post(vendor, {
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUri,
      code_verifier: input.codeVerifier,
    });
  }

  /** A new access token (and, at Microsoft, a new refresh token that replaces the old one). */
  refresh(vendor: OAuthVendor, input: { refreshToken: string; via: OAuthVia }): Promise<TokenSet> {
    return this.post(vendor, {
      grant_type: 'refresh_token',
      refresh_token: input.refreshToken,
      ...(vendor.scopeOnRefresh ? { scope: scopesFor(vendor.name, input.via).join(' ') } : {}),
    });
  }

  private async post(vendor: OAuthVendor, form: Record<string, string>): Promise<TokenSet> {
    const body = new URLSearchParams({ ...form, client_id: vendor.clientId, client_secret: vendor.clientSecret });
    const startedAt = this.now();
    let res: Response;
    let text: string;
    try {
      res = await fetch(vendor.tokenUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' },
        body,
        signal: AbortSignal.timeout(this.options.timeoutMs),
        redirect: 'error',
      });
      text = await res.text();
    } catch (e) {
      throw networkFailure(vendor, e, this.options.timeoutMs);
    }
    const json = parseJson(text);
    if (!res.ok) throw answerFailure(vendor, res, json);
    return readTokenSet(vendor, json, startedAt);
  }
}

function readTokenSet(vendor: OAuthVendor, json: Record<string, unknown> | undefined, startedAt: number): TokenSet {
  const accessToken = json?.access_token;
  const expiresIn = Number(json?.expires_in);
  const tokenType = json?.token_type;
  if (typeof accessToken !== 'string' || accessToken === '' || !Number.isFinite(expiresIn) || expiresIn <= 0) {
    throw new OAuthError(`${vendor.name} answered the token request without an access token and its lifetime`, {
      kind: 'temporary',
      vendor: vendor.name,
      status: 200,
    });
  }
  if (typeof tokenType === 'string' && tokenType.toLowerCase() !== 'bearer') {
    throw new OAuthError(`${vendor.name} issued a "${tokenType}" token; only Bearer tokens are used`, {
      kind: 'refused',
      vendor: vendor.name,
      status: 200,
    });
  }
  const text = (v: unknown) => (typeof v === 'string' && v !== '' ? v : undefined);
  return {
    accessToken,
    // Counted from when we asked, not from when the answer arrived: errs on the early side.
    expiresAt: startedAt + expiresIn * 1000,
    refreshToken: text(json?.refresh_token),
    idToken: text(json?.id_token),
    scope: text(json?.scope),
  };
}

function answerFailure(vendor: OAuthVendor, res: Response, json: Record<string, unknown> | undefined): OAuthError {
  const oauthError = typeof json?.error === 'string' ? json.error : undefined;
  const description = typeof json?.error_description === 'string' ? json.error_description.split(/\r?\n/)[0].trim() : undefined;
  const kind = failureKindOf(res.status, oauthError);
  return new OAuthError(
    `${vendor.name} token endpoint answered ${res.status}${oauthError ? ` ${oauthError}` : ''}${description ? `: ${description}` : ''}`,
    {
      kind,
      vendor: vendor.name,
      status: res.status,
      oauthError,
      description,
      retryAfterMs: kind === 'temporary' ? retryAfterMs(res.headers.get('retry-after')) : undefined,
    },
  );
}

function networkFailure(vendor: OAuthVendor, e: unknown, timeoutMs: number): OAuthError {
  const err = e as { name?: string; message?: string; cause?: { code?: string; message?: string } };
  const timedOut = err?.name === 'TimeoutError' || err?.name === 'AbortError';
  const detail = timedOut ? `no answer within ${timeoutMs} ms` : (err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(e));
  return new OAuthError(
    `${vendor.name} token endpoint could not be reached: ${detail}`,
    { kind: 'temporary', vendor: vendor.name },
    { cause: e },
  );
}

function parseJson(text: string): Record<string, unknown> | undefined {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** `Retry-After` as milliseconds (delta-seconds or an HTTP date), capped at an hour. */
function retryAfterMs(value: string | null): number | undefined {
  if (!value) return undefined;
  const seconds = /^\d+$/.test(value.trim()) ? Number(value.trim()) : (Date.parse(value) - Date.now()) / 1000;
  return Number.isFinite(seconds) ? Math.min(Math.max(0, Math.round(seconds * 1000)), 3_600_000) : undefined;
}
