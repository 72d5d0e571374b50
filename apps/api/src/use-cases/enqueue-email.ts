import { Attachment, EmailRecord, EnqueueEmailInput } from '@mailroom/domain';
import { sendJobOptions } from '@mailroom/queue';
import { withinMs } from '@mailroom/runtime';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { loadTenant } from '../routes/load-tenant';
import { newEmailId, newEmailRecord, requestHash } from './new-email-record';

export function decodeAttachments(input: EnqueueEmailInput, maxBytes: number): Attachment[] {
  const attachments = input.attachments.map((a) => ({
    filename: a.filename,
    contentType: a.contentType,
    content: Buffer.from(a.content, 'base64'),
  }));
  const total = attachments.reduce((n, a) => n + a.content.length, 0);
  if (total > maxBytes) {
    throw new HttpError(
      413,
      'attachments_too_large',
      `attachments total ${total} bytes; the limit is ${maxBytes} bytes (${(maxBytes / 1048576).toFixed(1)} MB)`,
    );
  }
  return attachments;
}

/**
 * Enqueue a document email. Reads as its flow: tenant and settings, the record and its content in one
 * write (idempotent on the key), then the job keyed on the email id. The caller hears 202 only when
 * both exist; if the job cannot be added the record is removed again and the caller may retry.
 */
export async function enqueueEmail(
  deps: ApiDeps,
  tenantId: string,
  input: EnqueueEmailInput,
  idempotencyKey?: string,
): Promise<{ email: EmailRecord; created: boolean }> {
  const tenant = await loadTenant(deps, tenantId);
  const settings = await deps.store.settings.get(tenant.id);
  if (!settings)
    throw new HttpError(
      409,
      'settings_missing',
      `tenant ${tenant.id} has no email settings: PUT /v1/tenants/${tenant.id}/email-settings first`,
    );
  const attachments = decodeAttachments(input, deps.config.limits.maxAttachmentBytes);
  const now = deps.now();
  const hash = requestHash(input);
  const record = newEmailRecord({ id: newEmailId(now), tenantId: tenant.id, input, settings, now, idempotencyKey, requestHash: hash });

  const { email, created } = await deps.store.emails.create({
    email: record,
    content: { text: input.text, html: input.html, attachments },
  });
  if (!created && email.requestHash !== hash) {
    throw new HttpError(
      409,
      'idempotency_key_reused',
      `Idempotency-Key "${idempotencyKey}" was already used for a different request (email ${email.id})`,
    );
  }
  if (!created && email.status !== 'queued') return { email, created };

  try {
    // A replay re-adds the job too: jobId = email id makes that a no-op when the job exists, and
    // repairs the case where the first request's record was written but its job was not.
    await withinMs(
      deps.queue.add('send', { tenantId: tenant.id, emailId: email.id }, sendJobOptions(email.id, deps.config.send)),
      deps.config.timeouts.enqueueMs,
      'the send queue',
    );
  } catch (e) {
    deps.logger.error({ err: e, tenantId: tenant.id, emailId: email.id }, 'could not enqueue; removing the record');
    if (created) await deps.store.emails.remove(tenant.id, email.id);
    throw new HttpError(503, 'queue_unavailable', 'the send queue is unavailable; nothing was stored, retry the request');
  }
  deps.logger.info({ tenantId: tenant.id, emailId: email.id, created }, 'email queued');
  if (created) deps.observer?.emailEnqueued(email);
  return { email, created };
}
