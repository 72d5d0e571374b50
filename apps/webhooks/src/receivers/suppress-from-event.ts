import { EmailRecord, suppressionForEvent } from '@mailroom/domain';
import type { NormalizedEvent } from '@mailroom/transports';
import type { Logger } from 'pino';
import type { WebhooksDeps } from '../webhooks-deps';

/**
 * A hard bounce or a complaint just recorded (from any provider: the events are already normalised)
 * puts the recipient on the tenant's suppression list, with the provider's words and this email as
 * the source (domain suppressionForEvent decides; soft bounces, deferrals and drops never do). Called
 * only for an event that changed the history: a provider re-posting an old event must not put back an
 * address the tenant's admin removed since. For the same reason a failure to write the list is logged,
 * not answered with a 5xx: the provider's retry would be a duplicate and add nothing; the address's next
 * bounce puts it on the list.
 */
export async function suppressFromEvent(
  deps: WebhooksDeps,
  tenantId: string,
  email: EmailRecord,
  ev: NormalizedEvent,
  log: () => Logger,
): Promise<void> {
  const now = deps.now().toISOString();
  const entry = suppressionForEvent(email, ev, { tenantId, emailId: email.id, now, bounceDays: deps.config.suppression.bounceDays });
  if (!entry) return;
  try {
    const { created } = await deps.store.suppressions.add(entry, now);
    log().info({ emailId: email.id, reason: entry.reason, created }, 'address suppressed');
  } catch (err) {
    log().error({ err, emailId: email.id }, 'could not put the address on the suppression list');
  }
}
