import { UnrecoverableError } from 'bullmq';
import { applySendFailure, applySendSuccess, DeliveryError, EmailRecord, markSending } from '@mailroom/domain';
import { buildOutgoingMessage, createTransport, SettingsIncompleteError, specFromSettings, TransportLease } from '@mailroom/delivery';
import type { SendJobData } from '@mailroom/queue';
import { toDeliveryError } from './to-delivery-error';
import type { WorkerDeps } from './worker-deps';

const IN_FLIGHT = new Set(['queued', 'sending', 'deferred']);

/**
 * One send attempt for one email. Reads as its flow: load, mark sending, resolve the tenant's
 * transport, send, record the outcome. A retryable failure is rethrown (BullMQ retries with backoff);
 * a permanent one, or the last attempt, is recorded as failed and ends the job.
 */
export async function deliverEmail(deps: WorkerDeps, job: SendJobData, attempt: { made: number; max: number }): Promise<void> {
  const { store, logger } = deps;
  const log = logger.child({ tenantId: job.tenantId, emailId: job.emailId, attempt: attempt.made + 1 });
  const email = await store.emails.get(job.tenantId, job.emailId);
  if (!email) return void log.warn('email not found; nothing to send');
  if (!email.recipients.some((r) => IN_FLIGHT.has(r.status)))
    return void log.info({ status: email.status }, 'already settled; not sending again');

  const [content, settings] = await Promise.all([store.emails.getContent(job.tenantId, job.emailId), store.settings.get(job.tenantId)]);
  const now = () => deps.now().toISOString();
  await store.emails.update(job.tenantId, job.emailId, (e) => markSending(e, now()));

  const started = Date.now();
  let lease: TransportLease | undefined;
  try {
    if (!settings) throw new SettingsIncompleteError('the tenant has no email settings');
    if (!content)
      throw new DeliveryError(
        email.contentPurgedAt
          ? `the email content was deleted on ${email.contentPurgedAt}, CONTENT_RETENTION_SECONDS after the email was final`
          : 'the email content is missing from the store',
        {
          code: email.contentPurgedAt ? 'ECONTENT_PURGED' : 'ECONTENT',
          retryable: false,
          hint: 'the stored body of this email is gone: enqueue the document again',
        },
      );
    // Leased for this send: evicting the tenant's transport meanwhile never closes it under the send.
    lease = deps.transports.acquire(job.tenantId, settings.version, () =>
      createTransport(specFromSettings(settings, deps.box), deps.config, {
        logger: log,
        smtpHosts: deps.smtpHosts,
        platform: deps.platformTransport,
      }),
    );
    const transport = lease.transport;
    const pixelUrl =
      settings.mode !== 'provider' && content.html !== undefined
        ? `${deps.config.publicBaseUrl}/t/o/${deps.pixelTokens.mint(job.tenantId, job.emailId)}`
        : undefined;
    const message = buildOutgoingMessage(email, content, settings, { platformFrom: deps.config.platform.from, pixelUrl });
    const result = await transport.send(message);
    await store.emails.update(job.tenantId, job.emailId, (e) =>
      applySendSuccess(e, { ...result, durationMs: Date.now() - started }, now()),
    );
    deps.observer?.sendAttempted(email, settings, 'accepted');
    if (settings.lastFailure) await store.settings.update(job.tenantId, (s) => (s.lastFailure ? { ...s, lastFailure: undefined } : null));
    log.info({ messageId: result.messageId, providerMessageId: result.providerMessageId, ms: Date.now() - started }, 'sent');
  } catch (e) {
    const err = toDeliveryError(e);
    const final = !err.retryable || attempt.made + 1 >= attempt.max;
    const failure = {
      code: err.code,
      retryable: err.retryable,
      responseCode: err.responseCode,
      response: err.response ?? err.message,
      hint: err.hint,
      durationMs: Date.now() - started,
    };
    await store.emails.update(job.tenantId, job.emailId, (rec: EmailRecord) => applySendFailure(rec, failure, now(), final));
    deps.observer?.sendAttempted(email, settings, final ? 'failed' : 'retry');
    log.warn({ code: err.code, responseCode: err.responseCode, retryable: err.retryable, final }, 'send failed');
    if (!err.retryable) {
      deps.transports.evict(job.tenantId);
      await store.settings.update(job.tenantId, (s) => ({
        ...s,
        lastFailure: { at: now(), code: err.code, hint: err.hint, response: err.response },
      }));
      throw new UnrecoverableError(`${err.code}: ${err.message}`);
    }
    throw err;
  } finally {
    lease?.release();
  }
}
