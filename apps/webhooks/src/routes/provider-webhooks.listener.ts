import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { OpenedWebhooks } from '../receivers/opened-webhooks';
import { RecentSettings } from '../receivers/recent-settings';
import { ReceiverState, receiveProviderWebhook, WebhookAnswer } from '../receivers/receive-provider-webhook';
import { ReplayTokens } from '../receivers/replay-tokens';
import type { WebhooksDeps } from '../webhooks-deps';
import { BodyReadError, readRawBody } from './read-raw-body';

/** The largest provider post read (a provider's batch of about a thousand events fits). */
const BODY_LIMIT = 5 * 1024 * 1024;
/** POST /webhooks/:provider/:tenantId, matched as Express matched it (any case, an optional trailing slash). */
const ROUTE = /^\/webhooks\/([^/]+)\/([^/]+)\/?$/i;

/**
 * POST /webhooks/:provider/:tenantId, served in front of the Express app (like GET /metrics): the
 * providers' posts are the webhooks app's busiest path, one event per request for some providers, and
 * Express's routing, body parser and `res.send` were about a quarter of such a post's cost (decision 0041).
 * Everything else goes to `next` untouched. What is answered is `receiveProviderWebhook`'s.
 */
export function providerWebhooksListener(deps: WebhooksDeps, next: RequestListener): RequestListener {
  const state: ReceiverState = {
    settings: new RecentSettings(deps.store),
    opened: new OpenedWebhooks(deps.box),
    tokens: new ReplayTokens(deps),
  };
  return (req, res) => {
    if (req.method !== 'POST') return next(req, res);
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const match = ROUTE.exec(query === -1 ? url : url.slice(0, query));
    if (!match) return next(req, res);
    void serve(deps, req, res, async () => {
      const rawBody = await readRawBody(req, BODY_LIMIT);
      const [provider, tenantId] = [decodeSegment(match[1]), decodeSegment(match[2])];
      if (provider === undefined || tenantId === undefined) return { status: 400, message: 'the path is not valid percent-encoding' };
      return receiveProviderWebhook(deps, state, { provider, tenantId, rawBody, headers: singleHeaders(req) });
    });
  };
}

async function serve(deps: WebhooksDeps, req: IncomingMessage, res: ServerResponse, work: () => Promise<WebhookAnswer>): Promise<void> {
  let answer: WebhookAnswer;
  try {
    answer = await work();
  } catch (e) {
    if (e instanceof BodyReadError) answer = { status: e.status, message: e.message };
    else {
      // Nothing recorded past what receiveProviderWebhook answers for itself: the provider retries a 5xx.
      deps.logger.error({ err: e }, 'webhook processing failed');
      answer = { status: 500, message: 'try again later' };
    }
  }
  if (res.headersSent || res.destroyed) return;
  // One write: the headers and this short text body go out together.
  res.writeHead(answer.status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(answer.message) });
  res.end(answer.message);
  if (!req.complete) req.resume();
}

function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** Lower-cased names (Node's already are), one value each: what the provider modules verify with. */
function singleHeaders(req: IncomingMessage): Record<string, string | undefined> {
  const out: Record<string, string | undefined> = {};
  for (const [name, value] of Object.entries(req.headers)) out[name] = Array.isArray(value) ? value[0] : value;
  return out;
}
