import { randomUUID } from 'node:crypto';
import { EmailRecord, effectiveSettings, EnqueueEmailInput, Tenant, transportOf } from '@mailroom/domain';
import type { ApiDeps } from '../api-deps';
import { decodeAttachments } from './decode-attachments';
import { newEmailId, newEmailRecord, requestHash } from './new-email-record';
import { answerReplay } from './pending-enqueue';
import { screenSuppressedAtEnqueue } from './screen-suppressed-at-enqueue';
import { startSending } from './start-sending';

/**
 * Enqueue a document email for a tenant the route has loaded. Reads as its flow: the tenant's effective settings (a tenant that never
 * saved any sends through the platform at once), the record and its content in one write (idempotent
 * on the key) marked pending under this request, with the recipients on the suppression list already
 * `suppressed`, then the job keyed on the email id, then the commit that drops the mark (no job when
 * every recipient is suppressed: the email ends `suppressed`). The caller hears 202 only when both exist; if the job cannot be added the
 * record is removed again (only while still pending under this request) and the caller may retry.
 * A replay of the key meanwhile answers 409 (pending-enqueue.ts, decision 0014).
 */
export async function enqueueEmail(
  deps: ApiDeps,
  tenant: Tenant,
  input: EnqueueEmailInput,
  idempotencyKey?: string,
): Promise<{ email: EmailRecord; created: boolean }> {
  const effective = effectiveSettings(tenant, await deps.store.settings.get(tenant.id), deps.config.smtpPlans);
  const attachments = decodeAttachments(input, deps.config.limits.maxAttachmentBytes);
  const now = deps.now();
  const hash = requestHash(input);
  const owner = randomUUID();
  const record = newEmailRecord({
    id: newEmailId(now),
    tenantId: tenant.id,
    input,
    settings: effective.settings,
    transport: transportOf(effective),
    now,
    idempotencyKey,
    requestHash: hash,
    pendingEnqueue: { owner, since: now.toISOString() },
  });

  const { email, created } = await deps.store.emails.create({
    email: await screenSuppressedAtEnqueue(deps, record),
    content: { text: input.text, html: input.html, attachments },
  });
  if (!created) return answerReplay(deps, email, { hash, idempotencyKey, owner });
  const committed = await startSending(deps, email, owner);
  // The request's own line (request-log.ts) names the email at info; this one adds its status, at debug.
  deps.logger.debug({ tenantId: tenant.id, emailId: email.id, created, status: committed.status }, 'email queued');
  deps.observer?.emailEnqueued(committed);
  return { email: committed, created };
}
