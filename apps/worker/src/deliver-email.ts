import { UnrecoverableError } from 'bullmq';
import {
  applySendFailure,
  applySendSuccess,
  awaitsSend,
  DeliveryError,
  effectiveSettings,
  EffectiveSettings,
  EmailRecord,
  hintAfterLastAttempt,
  hintOf,
  recordedHint,
  RecordedHint,
  markSending,
  SendSuccess,
  refusedForNow,
  narrowToAwaiting,
  recordInterruptedAttempt,
  remembersFailureOnSettings,
  reopenFailed,
  transportCacheKey,
  transportOf,
} from '@mailroom/domain';
import { buildOutgoingMessage, TransportLease } from '@mailroom/delivery';
import { transportLabels } from '@mailroom/metrics';
import type { SendJobData } from '@mailroom/queue';
import { TenantSecrets } from '@mailroom/transports';
import type { Logger } from 'pino';
import { decideAfterFailure, RetryScheduledError } from './after-failure';
import { notePlanFallback } from './note-plan-fallback';
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
    sent = { result, durationMs: Date.now() - started, settings, clearLastFailure: Boolean(stored?.lastFailure && !effective.fallback) };
  } catch (e) {
    await afterFailure(deps, job, sending, toDeliveryError(e), Date.now() - started, effective, log);
  } finally {
    lease?.release();
  }
  if (!sent) return;
  // The server has the message: from here on nothing is a failed send, and nothing may send it again.
  const retry = retryOfRefusedForNow(deps, job, email, sent.result);
  await recordSent(deps, job.data, sending.attemptInFlightSince, sent, retry?.at, log);
  deps.observer?.sendAttempted(sending, sent.settings, 'accepted');
  // Advice about an earlier failure goes once a send works; best effort, the email's outcome is recorded already.
  if (sent.clearLastFailure)
    await store.settings
      .update(tenantId, (s) => (s.lastFailure ? { ...s, lastFailure: undefined } : null))
      .catch((e: unknown) => log.warn({ err: e }, 'sent, but the settings kept their last failure'));
  logSent(deps.logger, bindings, {
    messageId: sent.result.messageId,
    providerMessageId: sent.result.providerMessageId,
    ms: sent.durationMs,
  });
  if (retry) {
    log.info({ retryInMs: retry.inMs }, 'a recipient was refused for now: it alone is tried again');
    throw new RetryScheduledError('a recipient was refused for now', retry.inMs);
  }
}

/** A send the server accepted, not yet recorded. */
interface Sent {
  result: SendSuccess;
  durationMs: number;
  settings: EffectiveSettings['settings'];
  /** The settings carry a failure from before, which this success answers. */
  clearLastFailure: boolean;
}

/** The waits between tries of the write that records a send: the store busy for a moment (SQLite's lock, a Mongo election). */
export const RECORD_SENT_RETRY_MS = [250, 1000, 3000];

/**
 * Records a send the server accepted (decision 0078). A store error here is not a failed send: recorded
 * as one, the email would be retried and sent twice. The write is tried again while the job's lock
 * lasts, and applies only to the attempt this run marked (a write that landed although it threw is not
 * applied twice). When the store still refuses, the attempt stays marked in flight and the job is
 * retried later: that run finds it, records it `interrupted` (the server may have it) and sends again,
 * as after a worker that died mid-send (decision 0064).
 */
async function recordSent(
  deps: WorkerDeps,
  { tenantId, emailId }: SendJobData,
  markedAt: string | undefined,
  sent: Sent,
  retryAt: string | undefined,
  log: Logger,
): Promise<void> {
  const at = deps.now().toISOString();
  const apply = (e: EmailRecord) =>
    e.attemptInFlightSince === markedAt ? applySendSuccess(e, { ...sent.result, durationMs: sent.durationMs }, at, retryAt) : null;
  for (let tried = 0; ; tried++) {
    try {
      await deps.store.emails.update(tenantId, emailId, apply);
      return;
    } catch (e) {
      const waitMs = RECORD_SENT_RETRY_MS[tried];
      if (waitMs === undefined) {
        log.error({ err: e }, 'sent, but the store did not take the outcome: the next attempt records it interrupted');
        throw new RetryScheduledError('the accepted send could not be recorded', deps.config.send.retryBaseMs);
      }
      log.warn({ err: e, retryInMs: waitMs }, 'sent, but the store did not take the outcome yet: writing it again');
      await new Promise((resolve) => setTimeout(resolve, waitMs));
    }
  }
}

/** A recipient the server refused for now (4xx) is tried again alone, while attempts are left: when, or undefined. */
function retryOfRefusedForNow(
  deps: WorkerDeps,
  job: SendAttempt,
  email: EmailRecord,
  result: { recipients: Parameters<typeof refusedForNow>[0][] },
): { inMs: number; at: string } | undefined {
  if (!result.recipients.some(refusedForNow)) return undefined;
  const nowMs = deps.now().getTime();
  const next = decideAfterFailure({ retryable: true }, failureContext(deps, job, email, nowMs));
  return next.kind === 'retry' ? { inMs: next.delayMs, at: new Date(nowMs + next.delayMs).toISOString() } : undefined;
}

/** What decides the next try after a failure: the job's attempts, the email's age and its rate-limited tries. */
function failureContext(deps: WorkerDeps, job: SendAttempt, email: EmailRecord, nowMs: number) {
  return {
    made: job.made,
    max: job.max,
    nowMs,
    createdAtMs: Date.parse(email.createdAt),
    rateLimitGraceMs: deps.config.send.rateLimitGraceMs,
    backoff: { baseMs: deps.config.send.retryBaseMs, maxMs: deps.config.send.retryMaxMs },
    rateLimitedSoFar: email.attempts.filter((a) => a.rateLimited).length,
  };
}

/** Records the failed attempt and hands BullMQ what follows: a deferral, a retry at the recorded time, or the end. */
async function afterFailure(
  deps: WorkerDeps,
  job: SendAttempt,
  email: EmailRecord,
  err: DeliveryError,
  durationMs: number,
  effective: EffectiveSettings | undefined,
  log: Logger,
): Promise<never> {
  const { tenantId, emailId } = job.data;
  const nowMs = deps.now().getTime();
  const at = new Date(nowMs).toISOString();
  const next = decideAfterFailure(err, failureContext(deps, job, email, nowMs));
  // Giving up on a temporary failure: the hint no longer promises the retry, it says how to ask for one.
  const hint =
    next.kind === 'give_up' && err.retryable
      ? hintAfterLastAttempt(err, job.made + 1, `/v1/tenants/${tenantId}/emails/${emailId}/retry`)
      : recordedHint(err);
  const failure = {
    code: err.code,
    retryable: err.retryable,
    responseCode: err.responseCode,
    response: err.response ?? err.message,
    ...hint,
    ...(err.rateLimited ? { rateLimited: true } : {}),
    durationMs,
  };
  const nextAttemptAt =
    next.kind === 'defer'
      ? new Date(next.untilMs).toISOString()
      : next.kind === 'retry'
        ? new Date(nowMs + next.delayMs).toISOString()
        : undefined;
  await deps.store.emails.update(tenantId, emailId, (rec) => applySendFailure(rec, failure, at, next.kind === 'give_up', nextAttemptAt));
  // A rate-limit deferral uses no attempt, like the tenant's own limits: the metric counts it as `deferred`.
  deps.observer?.sendAttempted(email, effective?.settings, next.kind === 'defer' ? 'deferred' : next.kind === 'retry' ? 'retry' : 'failed');
  log.warn(
    {
      code: err.code,
      responseCode: err.responseCode,
      retryable: err.retryable,
      rateLimited: err.rateLimited,
      next: next.kind,
      nextAttemptAt,
    },
    'send failed',
  );

  // Remembered at once, retried or not (a 403 that may be a block is told at its first refusal).
  if (effective?.configured && !effective.fallback && remembersFailureOnSettings(err, effective.settings.mode))
    await recordSettingsFailure(deps, tenantId, err, hint, at);
  if (next.kind === 'defer') return job.defer(next.untilMs);
  if (next.kind === 'retry') throw new RetryScheduledError(`${err.code}: ${err.message}`, next.delayMs);
  if (!err.retryable) deps.transports.evict(tenantId);
  // Recorded as failed: BullMQ must not try again whatever attempts it thinks are left.
  throw new UnrecoverableError(`${err.code}: ${err.message}`);
}

/**
 * A permanent failure (or a temporary one that is the settings', remembersFailureOnSettings), remembered on the settings: the transport's module turns it into advice (an app
 * password, reconnecting an OAuth mailbox: `oauth_reconnect_required`), and the next success clears
 * it. The one place a tenant's own sending is found broken: this update is what the store turns into
 * the `settings.failing` callback (the domain's settingsFailingReason says which codes do). Never a
 * switch to another transport.
 */
async function recordSettingsFailure(
  deps: WorkerDeps,
  tenantId: string,
  err: DeliveryError,
  hint: RecordedHint,
  at: string,
): Promise<void> {
  await deps.store.settings.update(tenantId, (s) => ({
    ...s,
    // The attempt's own hint: a retried refusal's promises the retry, the last attempt's says it is over.
    lastFailure: { at, code: err.code, response: err.response, responseCode: err.responseCode, ...hint },
  }));
}
