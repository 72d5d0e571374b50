import { Router, type Response } from 'express';
import { OAuthConnectError, OAuthStateError, returnUrlWithOutcome } from '@mailroom/oauth';
import { OAUTH_CALLBACK_PATH } from '@mailroom/delivery';
import type { WebhooksDeps } from '../webhooks-deps';
import { MailboxNotSaved, saveConnectedMailbox } from './connect-mailbox';

const text = (v: unknown) => (typeof v === 'string' ? v : undefined);

/**
 * GET /oauth/callback: where the vendor sends the tenant's admin back after consenting. Public (the
 * state is the proof: signed, bound to a tenant, ten minutes, single use). Exchanges the code with the
 * PKCE verifier, saves the mailbox as the tenant's settings, and sends the admin back to the return
 * URL the start route accepted, with the outcome, or shows a small page. A forged, expired or reused
 * state is a 400 and saves nothing; the URL (code and state) is never logged.
 */
export function oauthCallbackRoutes(deps: WebhooksDeps): Router {
  const r = Router();
  r.get(OAUTH_CALLBACK_PATH, async (req, res) => {
    res.set({ 'Cache-Control': 'no-store', 'Referrer-Policy': 'no-referrer' });
    const query = {
      code: text(req.query.code),
      state: text(req.query.state),
      error: text(req.query.error),
      error_description: text(req.query.error_description),
    };
    try {
      const connected = await deps.oauth.finish(query);
      try {
        const saved = await saveConnectedMailbox(deps, connected);
        deps.logger.info(
          { tenantId: saved.tenantId, vendor: connected.vendor, via: connected.via, version: saved.version },
          'mailbox connected',
        );
      } catch (e) {
        if (!(e instanceof MailboxNotSaved)) throw e;
        deps.logger.warn({ tenantId: connected.tenantId, reason: e.reason }, 'connected mailbox not saved');
        return outcome(res, connected.returnUrl, { ok: false, reason: e.reason }, 409, `The mailbox was not connected: ${e.message}.`);
      }
      return outcome(
        res,
        connected.returnUrl,
        { ok: true },
        200,
        `The mailbox ${connected.mailbox} is connected. You can close this window.`,
      );
    } catch (e) {
      if (e instanceof OAuthStateError) {
        deps.logger.warn({ reason: e.reason }, 'OAuth callback refused: state');
        return page(res, 400, `This connection link cannot be used: ${e.message}.`);
      }
      if (e instanceof OAuthConnectError) {
        deps.logger.warn({ tenantId: e.pending?.tenantId, code: e.code }, 'OAuth callback: mailbox not connected');
        const status = e.code === 'vendor_unavailable' ? 502 : 400;
        return outcome(res, e.pending?.returnUrl, { ok: false, reason: e.code }, status, `The mailbox was not connected: ${e.message}.`);
      }
      deps.logger.error({ err: e }, 'OAuth callback failed');
      return page(res, 503, 'The mailbox could not be connected just now: start the connection again in a moment.');
    }
  });
  return r;
}

/** Back to the return URL with the outcome when the start gave one; else the page. */
function outcome(
  res: Response,
  returnUrl: string | undefined,
  o: { ok: true } | { ok: false; reason: string },
  status: number,
  words: string,
) {
  if (returnUrl) return res.redirect(303, returnUrlWithOutcome(returnUrl, o));
  return page(res, status, words);
}

function page(res: Response, status: number, words: string) {
  const escaped = words.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res
    .status(status)
    .set('Content-Security-Policy', "default-src 'none'")
    .type('html')
    .send(`<!doctype html><html lang="en"><meta charset="utf-8"><title>Mailroom</title><p>${escaped}</p></html>`);
}
