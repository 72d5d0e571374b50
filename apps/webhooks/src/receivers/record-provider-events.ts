import { applyEvent, IncomingEvent, ProviderName } from '@mailroom/domain';
import type { NormalizedEvent } from '@mailroom/transports';
import type { Logger } from 'pino';
import type { WebhooksDeps } from '../webhooks-deps';
import { suppressFromEvent } from './suppress-from-event';

export interface RecordOutcome {
  applied: number;
  duplicates: number;
  unknown: number;
}

/**
 * Writes verified events into the history. Matched through the ids we sent (our email id echoed back),
 * never provider id formats. A duplicate changes nothing; an event for an email we do not know (or of
 * another tenant) is acknowledged, logged and written nowhere. A hard bounce or a complaint also puts
 * the address on the tenant's suppression list.
 */
export async function recordProviderEvents(
  deps: WebhooksDeps,
  tenantId: string,
  provider: ProviderName,
  events: NormalizedEvent[],
  /** The post's logger, built when first asked for (most posts log nothing). */
  log: () => Logger = () => deps.logger.child({ tenantId, provider }),
): Promise<RecordOutcome> {
  const out: RecordOutcome = { applied: 0, duplicates: 0, unknown: 0 };
  const now = deps.now().toISOString();
  // Events of different emails are recorded side by side, so the store can commit them together (SQLite's
  // group commit, decision 0037); one email's events stay one after the other, in the post's order, each
  // update followed by its callbacks before the next. A failure still fails the post (5xx): the
  // provider's retry finds what was written as duplicates.
  const lastOfEmail = new Map<string, Promise<unknown>>();
  const updates = events.map((ev) => {
    if (!ev.emailId || (ev.tenantId && ev.tenantId !== tenantId)) return Promise.resolve(undefined);
    const emailId = ev.emailId;
    let changed = false;
    const record = () =>
      deps.store.emails.update(tenantId, emailId, (rec) => {
        const next = applyEvent(rec, historyEvent(provider, ev), now);
        changed = next !== null;
        return next;
      });
    const previous = lastOfEmail.get(emailId);
    const email = previous ? previous.then(record, record) : record();
    lastOfEmail.set(emailId, email);
    return email.then((e) => ({ email: e, changed }));
  });
  const settled = await Promise.all(updates);
  // Debug only, and only asked for when enabled (at a provider's rate a line per event costs, decision
  // 0037): the email each event was recorded for, so one email can be followed by its emailId from the
  // API's enqueue through the worker's send to the provider's events.
  const trail = deps.logger.isLevelEnabled('debug');
  for (const [i, ev] of events.entries()) {
    const result = settled[i];
    if (!result) {
      out.unknown++;
      log().info(
        { key: ev.key, type: ev.type, echoedTenant: ev.tenantId },
        'event not for an email of this tenant; acknowledged, not recorded',
      );
    } else if (!result.email) {
      out.unknown++;
      log().info({ emailId: ev.emailId, key: ev.key }, 'event for an unknown email; acknowledged, not recorded');
    } else if (result.changed) {
      out.applied++;
      if (trail) log().debug({ emailId: result.email.id, type: ev.type, key: ev.key }, 'webhook event recorded');
      await suppressFromEvent(deps, tenantId, result.email, ev, log);
    } else {
      out.duplicates++;
      if (trail) log().debug({ emailId: result.email.id, type: ev.type, key: ev.key }, 'webhook event already recorded');
    }
  }
  return out;
}

/** A provider's normalised event as the history records it (domain applyEvent). */
export function historyEvent(provider: ProviderName, ev: NormalizedEvent): IncomingEvent {
  return {
    type: ev.type,
    at: ev.at,
    key: ev.key,
    source: provider,
    ...(ev.recipient ? { recipient: ev.recipient } : {}),
    ...(ev.machine !== undefined ? { machine: ev.machine } : {}),
    ...(ev.reason ? { reason: ev.reason } : {}),
    ...(ev.responseCode !== undefined ? { responseCode: ev.responseCode } : {}),
    ...(ev.statusCode ? { statusCode: ev.statusCode } : {}),
    ...(ev.url ? { url: ev.url } : {}),
    ...(ev.userAgent ? { userAgent: ev.userAgent.slice(0, 300) } : {}),
    ...(ev.bounceType ? { bounceType: ev.bounceType } : {}),
  };
}
