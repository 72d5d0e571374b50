import type { EmailSettings } from '@mailroom/domain';
import type { Logger } from 'pino';
import type { WebhooksDeps } from '../webhooks-deps';
import { type OpenedWebhooks, sameWebhookKey } from './opened-webhooks';
import type { RecentSettings } from './recent-settings';
import { recordProviderEvents } from './record-provider-events';
import type { ReplayTokens } from './replay-tokens';

/** A signed timestamp's window for a provider module that names none of its own. */
const DEFAULT_MAX_AGE_SECONDS = 600;

/** lastEventAt is written at most this often per tenant, so a busy tenant does not hammer its settings row. */
const LAST_EVENT_EVERY_MS = 60_000;

/** A provider's post as it arrived: the route's two segments, the exact bytes, the lower-cased headers. */
export interface ProviderPost {
  provider: string;
  tenantId: string;
  rawBody: Buffer;
  headers: Record<string, string | undefined>;
}

/** What the app keeps between posts: each tenant's recent settings and opened webhook key, the replay tokens' batcher. */
export interface ReceiverState {
  settings: RecentSettings;
  opened: OpenedWebhooks;
  tokens: ReplayTokens;
}

/** What to answer the provider (decision 0005): the status decides whether it retries. */
export interface WebhookAnswer {
  status: number;
  message: string;
}

/**
 * One provider post, from the bytes to the answer, without any web framework (the listener in front of
 * Express serves it, decision 0041). Verified on the raw bytes with the tenant's own key, by the
 * provider's module, before anything is parsed; a forged, stale or unsigned request writes nothing; a
 * replayed token is refused before anything is recorded; 200 only once every event is recorded. Each
 * provider's rules (which status makes it stop retrying) are its module's.
 */
export async function receiveProviderWebhook(deps: WebhooksDeps, state: ReceiverState, post: ProviderPost): Promise<WebhookAnswer> {
  const { opened, tokens } = state;
  const { provider, tenantId, rawBody, headers } = post;
  // Built only when something is logged: a child logger per post cost more than the HMAC (decision 0041).
  let child: Logger | undefined;
  const log = () => (child ??= deps.logger.child({ tenantId, provider }));
  const answer = (status: number, message: string): WebhookAnswer => ({ status, message });
  const module = deps.providers.webhookModule(provider);
  if (!module) return answer(404, 'unknown provider');
  const receiver = module.webhooks;
  let claimedToken: string | undefined;
  try {
    const now = deps.now();
    const providerOf = (settings: EmailSettings | null) =>
      settings?.mode === 'provider' && settings.provider?.name === provider ? settings.provider : undefined;
    // As old as the provider's retries reach (they carry the first attempt's signature), unless the operator set one window.
    const maxAgeSeconds = deps.config.limits.webhookMaxAgeSeconds ?? receiver.retriesForSeconds ?? DEFAULT_MAX_AGE_SECONDS;
    const verify = (p: ReturnType<typeof providerOf>) =>
      p && receiver.verify({ rawBody, headers }, opened.of(tenantId, p.webhook), now, maxAgeSeconds);
    const recent = await state.settings.get(tenantId);
    let p = providerOf(recent.settings);
    let verified = verify(p);
    // Settings kept from an earlier post may predate a save (a new key, the provider just chosen):
    // nothing is refused on them without reading the store afresh (decision 0066). Verified again
    // only when what verifies differs, so a forged post costs one verification, as before.
    if (!recent.justRead && !verified?.ok) {
      const fresh = providerOf(await state.settings.reread(tenantId));
      if (!(fresh && p && sameWebhookKey(fresh.webhook, p.webhook))) verified = verify((p = fresh));
    }
    if (!p || !verified) {
      log().warn('webhook for a tenant not configured for this provider');
      deps.observer?.webhookRefused(provider);
      return answer(receiver.notConfiguredStatus, 'no such webhook');
    }
    if (!verified.ok) {
      log().warn({ reason: verified.reason }, `webhook refused: ${verified.message}`);
      deps.observer?.webhookRefused(provider);
      // A stale or malformed request never becomes valid: tell the provider to stop. A bad signature may
      // be our outdated key, which the admin can fix: let the provider retry.
      const never = verified.reason === 'stale' || verified.reason === 'malformed';
      return answer(never ? receiver.giveUpStatus : 401, 'webhook not verified');
    }
    if (verified.replayToken) {
      let claim: 'fresh' | 'replayed';
      try {
        claim = await tokens.claim(tenantId, verified.replayToken, maxAgeSeconds);
      } catch (e) {
        // Nothing recorded: the provider retries a 5xx later, when the replay check works again. A
        // stalled Redis may still run the claim when it wakes: the release, sent after it on the same
        // connection, undoes it, so that retry is not refused as a replay.
        log().warn({ err: (e as Error).message }, 'webhook replay check unavailable; asking the provider to retry');
        void tokens.release(tenantId, verified.replayToken);
        return answer(503, 'try again later');
      }
      if (claim === 'replayed') {
        log().warn('webhook token seen before: replay refused');
        deps.observer?.webhookRefused(provider);
        return answer(receiver.giveUpStatus, 'replayed');
      }
      claimedToken = verified.replayToken;
    }
    let events;
    try {
      events = receiver.parse(rawBody);
    } catch (e) {
      log().warn({ err: (e as Error).message }, 'verified webhook with an unreadable body');
      deps.observer?.webhookRefused(provider);
      return answer(receiver.giveUpStatus, 'unreadable body');
    }
    const outcome = await recordProviderEvents(deps, tenantId, provider, events, log);
    // Debug, not info: at a provider's rate one line per post cost more than parsing it (decision 0037);
    // the metrics count every post, and what went wrong is logged at warn above.
    if (deps.logger.isLevelEnabled('debug')) log().debug({ ...outcome, received: events.length }, 'webhook processed');
    deps.observer?.webhookProcessed(provider, outcome);
    const last = p.webhook?.lastEventAt ? Date.parse(p.webhook.lastEventAt) : 0;
    if (now.getTime() - last > LAST_EVENT_EVERY_MS) {
      const saved = await deps.store.settings.update(tenantId, (s) =>
        s.provider?.webhook
          ? { ...s, provider: { ...s.provider, webhook: { ...s.provider.webhook, lastEventAt: now.toISOString() } } }
          : null,
      );
      state.settings.remember(tenantId, saved);
    }
    return answer(200, 'ok');
  } catch (e) {
    // Our failure (store down...): a 5xx makes every provider retry later.
    log().error({ err: e }, 'webhook processing failed');
    // Forget the token, so the provider's retry of this very request is not taken for a replay.
    if (claimedToken) await tokens.release(tenantId, claimedToken);
    return answer(500, 'try again later');
  }
}
