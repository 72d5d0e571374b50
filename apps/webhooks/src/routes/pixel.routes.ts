import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import { applyEvent, isMachineOpen } from '@mailroom/domain';
import type { WebhooksDeps } from '../webhooks-deps';

/** The smallest transparent GIF. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64');

/**
 * GET /t/o/:token: always the GIF, whatever the token; a valid token records an open (human or
 * machine), a forged one changes nothing. Recording happens before answering but never blocks it
 * from being a GIF.
 */
export function pixelRoutes(deps: WebhooksDeps): Router {
  const r = Router();
  r.get('/t/o/:token', async (req, res) => {
    try {
      const claims = deps.pixelTokens.verify(req.params.token.replace(/\.gif$/, ''));
      if (claims) await recordOpen(deps, claims.tenantId, claims.emailId, req.header('user-agent'));
    } catch (e) {
      deps.logger.error({ err: e }, 'could not record an open');
    }
    res
      .status(200)
      .set({ 'Content-Type': 'image/gif', 'Cache-Control': 'no-store, no-cache, must-revalidate, private', Pragma: 'no-cache' })
      .end(PIXEL_GIF);
  });
  return r;
}

async function recordOpen(deps: WebhooksDeps, tenantId: string, emailId: string, userAgent: string | undefined) {
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
        ...(userAgent ? { userAgent: userAgent.slice(0, 300) } : {}),
      },
      at,
    );
  });
}
