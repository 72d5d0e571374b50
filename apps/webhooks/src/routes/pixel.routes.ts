import { randomBytes } from 'node:crypto';
import { NextFunction, Request, Response, Router } from 'express';
import { applyEvent, isMachineOpen } from '@mailroom/domain';
import { OpenClientFingerprint } from '@mailroom/security';
import type { WebhooksDeps } from '../webhooks-deps';

/** The smallest transparent GIF. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * GET /t/o/:token: always the GIF, whatever the token; a valid token records an open (human or
 * machine), a forged one changes nothing. Recording happens before answering but never blocks it
 * from being a GIF. The same client (user agent and IP, as a keyed fingerprint) loading it again
 * within a minute counts once, and the timeline keeps at most 50 opens (packages/domain open-events.ts).
 */
export function pixelRoutes(deps: WebhooksDeps): Router {
  const r = Router();
  const fingerprint = new OpenClientFingerprint(deps.config.encryptionKeys);
  r.get('/t/o/:token', async (req, res) => {
    try {
      const claims = deps.pixelTokens.verify(req.params.token.replace(/\.gif$/, ''));
      const userAgent = req.header('user-agent');
      if (claims) {
        await recordOpen(deps, claims.tenantId, claims.emailId, userAgent, fingerprint.of(claims.emailId, req.ip, userAgent));
        // Debug: a mail client may load it many times; the email's opens are in its history.
        deps.logger.debug({ tenantId: claims.tenantId, emailId: claims.emailId }, 'open pixel loaded');
      }
    } catch (e) {
      deps.logger.error({ err: e }, 'could not record an open');
    }
    sendPixel(res);
  });
  // No token, or one cut by a slash (a client or proxy mangling the link): no token of ours, but a
  // mail client must still get the GIF, and nothing is recorded.
  r.use('/t/o', (req: Request, res: Response, next: NextFunction) =>
    req.method === 'GET' || req.method === 'HEAD' ? sendPixel(res) : next(),
  );
  // Express answers a parameter it cannot decode (a stray '%') with its own 400 page; a mail client
  // must still get the GIF, and nothing is recorded.
  r.use('/t/o', (err: unknown, req: Request, res: Response, next: NextFunction) => (req.method === 'GET' ? sendPixel(res) : next(err)));
  return r;
}

function sendPixel(res: Response): void {
  res
    .status(200)
    .set({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, no-cache, must-revalidate, private', Pragma: 'no-cache' })
    .end(PIXEL_GIF);
}

async function recordOpen(deps: WebhooksDeps, tenantId: string, emailId: string, userAgent: string | undefined, client: string) {
  const now = deps.now();
  const at = now.toISOString();
  await deps.store.emails.update(tenantId, emailId, (email) => {
    const accepted = email.events.find((e) => e.type === 'accepted');
    const machine = isMachineOpen(userAgent, now.getTime(), accepted ? Date.parse(accepted.at) : undefined);
    return applyEvent(
      email,
      {
        type: 'opened',
        at,
        key: `pixel:${now.getTime()}:${randomBytes(4).toString('hex')}`,
        source: 'pixel',
        machine,
        client,
        ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
      },
      at,
    );
  });
}
