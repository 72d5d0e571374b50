import { DeliveryError, HintFields, hintOf, isDeliveryError } from '@mailroom/domain';
import type { AccessTokenSource } from '../access-token-source';
import { describeSmtpFailure, NodemailerFailure, SmtpFailureContext } from './classify-smtp-error';
import { smtpProviderOf } from './smtp-hints';

/** Log in with XOAUTH2 as `user` (the connected mailbox), with tokens from `tokens`. */
export interface SmtpOAuth2Options {
  user: string;
  tokens: AccessTokenSource;
}

/** nodemailer's XOAUTH2 options with a provisionCallback (nodemailer/lib/xoauth2). */
export interface NodemailerOAuth2Auth {
  type: 'OAuth2';
  user: string;
  provisionCallback: (user: string, renew: boolean, callback: (err: Error | null, accessToken?: string, expires?: number) => void) => void;
}

/**
 * nodemailer called the provisionCallback with renew=true: the server answered the token with
 * Gmail's `334` challenge. We stop nodemailer's own renew-and-retry there, so that the one
 * refresh-and-retry happens in one place (withToken), whichever way the server refused.
 */
class TokenRefusedByChallenge extends Error {
  override readonly name = 'TokenRefusedByChallenge';
  constructor() {
    super('the server refused the access token (XOAUTH2 challenge)');
  }
}

export const XOAUTH2_HINTS = {
  tokenRefused: hintOf(
    'smtp.oauthTokenRefused',
    'The mail server refused the OAuth access token even after it was renewed. Reconnect the mailbox in the email settings; if it keeps failing, the account may not be allowed to send by SMTP.',
  ),
  gmailTokenRefused: hintOf(
    'smtp.gmailTokenRefused',
    'Gmail refused the OAuth access token even after it was renewed. Reconnect the mailbox with Google in the email settings, accepting the "Read, compose, send and delete all your email" permission; a Workspace administrator may also have blocked SMTP access for this account.',
  ),
  microsoftSmtpDisabled: hintOf(
    'smtp.microsoftSmtpDisabled',
    'Microsoft 365 refused the OAuth login: Authenticated SMTP is disabled for this mailbox or organisation. An administrator can enable it for the mailbox, or reconnect the mailbox choosing Microsoft Graph, which needs no SMTP.',
  ),
  microsoftTokenRefused: hintOf(
    'smtp.microsoftTokenRefused',
    'Microsoft 365 refused the OAuth access token even after it was renewed. Reconnect the mailbox with Microsoft; if it keeps failing, an administrator must enable Authenticated SMTP for this mailbox, or reconnect choosing Microsoft Graph.',
  ),
} as const;

const MICROSOFT_SMTP_DISABLED = /\b5\.7\.(139|30)\b|SmtpClientAuthentication/i;

/**
 * The XOAUTH2 side of the SMTP transport. Every new pooled connection asks the token source for
 * the current token when it logs in (provisionCallback), so a refreshed token is used by new
 * connections without rebuilding the pool; connections already logged in keep their session.
 */
export class SmtpXOAuth2Login {
  /** The last token handed to a connection: the one the server refused, when it refuses. */
  private lastToken?: string;

  constructor(private readonly options: SmtpOAuth2Options) {}

  nodemailerAuth(): NodemailerOAuth2Auth {
    return {
      type: 'OAuth2',
      user: this.options.user,
      provisionCallback: (_user, renew, callback) => {
        if (renew) return callback(new TokenRefusedByChallenge());
        this.options.tokens.getAccessToken().then(
          (token) => {
            this.lastToken = token;
            callback(null, token);
          },
          // nodemailer rewrites the code of the error it is given: carry ours inside.
          (e: unknown) => callback(new Error('no access token for the XOAUTH2 login', { cause: e })),
        );
      },
    };
  }

  /**
   * Runs one submission with a token good now; if the server refuses the token, asks once for a
   * newer one and submits once more. The refresh refused by the vendor ends it with the source's
   * DeliveryError (oauth_reconnect_required).
   */
  async withToken<T>(submit: () => Promise<T>): Promise<T> {
    // Per send: refreshes before expiry, and a dead grant fails here before any SMTP is spoken.
    this.lastToken = await this.options.tokens.getAccessToken();
    try {
      return await submit();
    } catch (e) {
      if (!isTokenRefusal(e)) throw e;
      this.lastToken = await this.options.tokens.getAccessToken({ rejected: this.lastToken });
      return await submit();
    }
  }

  /** A failure of an XOAUTH2 send, as a DeliveryError with OAuth words for login failures. */
  classify(error: unknown, ctx: SmtpFailureContext): DeliveryError {
    if (isDeliveryError(error)) return error;
    const cause = (error as { cause?: unknown } | undefined)?.cause;
    if (isDeliveryError(cause)) return cause;
    const described = describeSmtpFailure(error, {
      ...ctx,
      secrets: [...(ctx.secrets ?? []), ...(this.lastToken ? [this.lastToken] : [])],
    });
    const { message, ...fields } = described;
    if (fields.code === 'EAUTH' && fields.retryable === false)
      return new DeliveryError(message, { ...fields, ...tokenRefusedHint(ctx, fields.response) });
    return new DeliveryError(message, fields);
  }
}

/** The server refused the login itself (5xx after AUTH XOAUTH2, or Gmail's challenge), not the network or a 4xx. */
function isTokenRefusal(e: unknown): boolean {
  if (e instanceof TokenRefusedByChallenge) return true;
  const f = e as NodemailerFailure | undefined;
  return f?.code === 'EAUTH' && f.command === 'AUTH XOAUTH2' && typeof f.responseCode === 'number' && f.responseCode >= 500;
}

function tokenRefusedHint(ctx: SmtpFailureContext, response: string | undefined): HintFields {
  const provider = smtpProviderOf(ctx);
  if (provider === 'outlook' || MICROSOFT_SMTP_DISABLED.test(response ?? '')) {
    return MICROSOFT_SMTP_DISABLED.test(response ?? '') ? XOAUTH2_HINTS.microsoftSmtpDisabled : XOAUTH2_HINTS.microsoftTokenRefused;
  }
  return provider === 'gmail' ? XOAUTH2_HINTS.gmailTokenRefused : XOAUTH2_HINTS.tokenRefused;
}
