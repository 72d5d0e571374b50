import {
  awaitsSend,
  DeliveryError,
  effectiveSettings,
  EffectiveSettings,
  hintOf,
  markSending,
  narrowToAwaiting,
  recordInterruptedAttempt,
  reopenFailed,
  SendSuccess,
  transportCacheKey,
  transportOf,
} from '@mailroom/domain';
import { buildOutgoingMessage, TransportLease } from '@mailroom/delivery';
import { transportLabels } from '@mailroom/metrics';
import type { SendJobData } from '@mailroom/queue';
import { TenantSecrets } from '@mailroom/transports';
import { RetryScheduledError } from './after-failure';
import { notePlanFallback } from './note-plan-fallback';
import { recordSendFailure, retryOfRefusedForNow } from './record-send-failure';
import { recordSent } from './record-sent';
import { screenSuppressedAtSend } from './screen-suppressed-at-send';
import { sendSuppressingRefusedMailboxes } from './suppress-refused-mailboxes';
import { takeFromSendingLimits } from './take-from-sending-limits';
import { jobLog, logSent } from './job-log';
import { timedTransport } from './timed-transport';
import { toDeliveryError } from './to-delivery-error';
import type { WorkerDeps } from './worker-deps';

/** One run of a send job, as deliverEmail sees it (process-send-job.ts builds it from BullMQ's job). */
export interface SendAttempt {
  data: SendJobData;
  /** Attempts BullMQ already counted, and allowed. */
  made: number;
  max: number;
  /** Puts the job back to sleep until `untilMs` without using up an attempt; never returns. */
  defer(untilMs: number): Promise<never>;
}

/**
 * One send attempt for one email. Reads as its flow: load; a job for a `failed` email is a retry
 * (the API's, the dashboard's, or a stalled re-run) and re-opens its failed recipients; skip what no
 * longer waits; resolve the effective settings (the same decision as the API's); take the send from the
 * tenant's sending limits, or defer it; mark sending; send;
 * record the outcome. After a failure the error's fields decide: defer (rate limit), retry, or give up.
 */
export async function deliverEmail(deps: WorkerDeps, job: SendAttempt): Promise<void> {
  const { store } = deps;
  const { tenantId, emailId } = job.data;
  const bindings = { tenantId, emailId, attempt: job.made + 1 };
  const log = jobLog(deps.logger, bindings);
  const now = () => deps.now().toISOString();
  let email = await store.emails.get(tenantId, emailId);
  if (!email) return void log.warn('email not found; nothing to send');
  if (email.status === 'failed') email = (await store.emails.update(tenantId, emailId, (e) => reopenFailed(e, now(), 'worker'))) ?? email;
  if (!awaitsSend(email)) return void log.info({ status: email.status }, 'already settled; not sending again');
  // An attempt still in flight (markSending's mark): the one before this never recorded its outcome (its worker died
  // mid-send), a first attempt or a deferred email's retry. Said before anything else; checked on the record in hand
  // first, so an ordinary attempt costs no store write here.
  const interrupted = recordInterruptedAttempt(email, now())
    ? await store.emails.update(tenantId, emailId, (e) => recordInterruptedAttempt(e, now()))
    : undefined;
  if (interrupted && interrupted.attempts.length > email.attempts.length) {
    log.warn('the previous attempt was interrupted mid-send; the server may have received it: sending again');
    email = interrupted;
  }

  const [content, stored, tenant] = await Promise.all([
    store.emails.getContent(tenantId, emailId),
    store.settings.get(tenantId),
    store.tenants.get(tenantId),
  ]);
  const effective = tenant ? effectiveSettings(tenant, stored, deps.config.smtpPlans) : undefined;
  if (tenant && effective) await notePlanFallback(deps, tenant, stored, effective, log);
  // The tenant's own sending limits: over one, the email is deferred until it may go (no attempt used).
  if (effective) await takeFromSendingLimits(deps, job, email, effective, log);
  const marked = await store.emails.update(tenantId, emailId, (e) => markSending(e, now(), effective && transportOf(effective)));
  // Gone meanwhile: an enqueue whose job add failed removed it before this job could commit it.
  if (!marked) return void log.warn('email removed before it could be sent; nothing to send');
  // The suppression list again (an address may have gone on it since the enqueue), and a cancel that landed meanwhile.
  const sending = await screenSuppressedAtSend(deps, marked, log);
  if (!sending) return;

  const started = Date.now();
  let lease: TransportLease | undefined;
  let sent: Sent | undefined;
  try {
    if (!effective)
      throw new DeliveryError(`tenant ${tenantId} does not exist`, {
        code: 'ETENANT',
        retryable: false,
        ...hintOf('send.tenantGone', 'the tenant of this email is gone: create it again (PUT /v1/tenants/:tenantId) and retry the email'),
      });
    if (!content)
      throw new DeliveryError(
        email.contentPurgedAt
          ? `the email content was deleted on ${email.contentPurgedAt}, CONTENT_RETENTION_SECONDS after the email was final`
          : 'the email content is missing from the store',
        {
          code: email.contentPurgedAt ? 'ECONTENT_PURGED' : 'ECONTENT',
          retryable: false,
          ...hintOf('send.contentGone', 'the stored body of this email is gone: enqueue the document again'),
        },
      );
    const settings = effective.settings;
    // Leased for this send: evicting the tenant's transport meanwhile never closes it under the send.
    lease = deps.transports.acquire(tenantId, transportCacheKey(effective), () => {
      const transport = deps.providers.createTransport(settings, new TenantSecrets(deps.box, tenantId), {
        tenantId,
        config: deps.config,
        // Not this job's `log`: the transport outlives the job (the cache), and its lines name the email they are about.
        logger: deps.logger,
        smtpHosts: deps.smtpHosts,
        platform: deps.platformTransport,
        accessTokens: () => deps.mailboxTokens.forTenant(tenantId),
      });
      return deps.timer ? timedTransport(transport, deps.timer, transportLabels(settings)) : transport;
    });
    const transport = lease.transport;
    const pixelUrl =
      settings.mode !== 'provider' && content.html !== undefined
        ? `${deps.config.publicBaseUrl}/t/o/${deps.pixelTokens.mint(tenantId, emailId)}`
        : undefined;
    const message = buildOutgoingMessage(narrowToAwaiting(sending), content, settings, {
      platformFrom: deps.config.platform.from,
      pixelUrl,
    });
    const result = await sendSuppressingRefusedMailboxes(deps, transport, message, settings.mode, log);
    sent = {
      ok: { ...result, durationMs: Date.now() - started },
      settings,
      clearLastFailure: Boolean(stored?.lastFailure && !effective.fallback),
    };
  } catch (e) {
    await recordSendFailure(deps, job, sending, toDeliveryError(e), Date.now() - started, effective, log);
  } finally {
    lease?.release();
  }
  if (!sent) return;
  // The server has the message: from here on nothing is a failed send, and nothing may send it again.
  const retry = retryOfRefusedForNow(deps, job, email, sent.ok);
  await recordSent(deps, job.data, sending.attemptInFlightSince, sent.ok, retry?.at, log);
  deps.observer?.sendAttempted(sending, sent.settings, 'accepted');
  // Advice about an earlier failure goes once a send works; best effort, the email's outcome is recorded already.
  if (sent.clearLastFailure)
    await store.settings
      .update(tenantId, (s) => (s.lastFailure ? { ...s, lastFailure: undefined } : null))
      .catch((e: unknown) => log.warn({ err: e }, 'sent, but the settings kept their last failure'));
  logSent(deps.logger, bindings, {
    messageId: sent.ok.messageId,
    providerMessageId: sent.ok.providerMessageId,
    ms: sent.ok.durationMs,
  });
  if (retry) {
    log.info({ retryInMs: retry.inMs }, 'a recipient was refused for now: it alone is tried again');
    throw new RetryScheduledError('a recipient was refused for now', retry.inMs);
  }
}

/** A send the server accepted, not yet recorded. */
interface Sent {
  ok: SendSuccess & { durationMs: number };
  settings: EffectiveSettings['settings'];
  /** The settings carry a failure from before, which this success answers. */
  clearLastFailure: boolean;
}
