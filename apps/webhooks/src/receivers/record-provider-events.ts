import { applyEvent, ProviderName } from '@mailroom/domain';
import type { NormalizedEvent } from '@mailroom/transports';
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
): Promise<RecordOutcome> {
  const out: RecordOutcome = { applied: 0, duplicates: 0, unknown: 0 };
  const log = deps.logger.child({ tenantId, provider });
  for (const ev of events) {
    if (!ev.emailId || (ev.tenantId && ev.tenantId !== tenantId)) {
      out.unknown++;
      log.info(
        { key: ev.key, type: ev.type, echoedTenant: ev.tenantId },
        'event not for an email of this tenant; acknowledged, not recorded',
      );
      continue;
    }
    let changed = false;
    const now = deps.now().toISOString();
    const email = await deps.store.emails.update(tenantId, ev.emailId, (rec) => {
      const next = applyEvent(
        rec,
        {
          type: ev.type,
          at: ev.at,
          key: ev.key,
          source: provider,
          ...(ev.recipient ? { recipient: ev.recipient } : {}),
          ...(ev.machine !== undefined ? { machine: ev.machine } : {}),
          ...(ev.reason ? { reason: ev.reason } : {}),
          ...(ev.statusCode ? { statusCode: ev.statusCode } : {}),
          ...(ev.url ? { url: ev.url } : {}),
          ...(ev.userAgent ? { userAgent: ev.userAgent.slice(0, 300) } : {}),
          ...(ev.bounceType ? { bounceType: ev.bounceType } : {}),
        },
        now,
      );
      changed = next !== null;
      return next;
    });
    if (!email) {
      out.unknown++;
      log.info({ emailId: ev.emailId, key: ev.key }, 'event for an unknown email; acknowledged, not recorded');
    } else if (changed) {
      out.applied++;
      await suppressFromEvent(deps, tenantId, email, ev, log);
    } else out.duplicates++;
  }
  return out;
}
