import {
  applySendFailure,
  applySendSuccess,
  DeliveryError,
  EffectiveSettings,
  effectiveSettings,
  EmailSettings,
  EmailSettingsInput,
  hintForTestEmail,
  hintKeyFields,
  hintOf,
  isDeliveryError,
  markSending,
  remembersFailureOnSettings,
  Tenant,
  transportOf,
} from '@mailroom/domain';
import { buildOutgoingMessage, fromAddress } from '@mailroom/delivery';
import { testEmailRoute } from '@mailroom/transports';
import { z } from 'zod';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { newEmailId, newEmailRecord } from './new-email-record';
import { testTransport } from './test-transport';
import { draftSettings } from './save-settings';
import { takeTestEmailToken } from './test-email-rate-limit';
import { testEmailMessage, TestEmailLanguage } from './test-email-message';

/** The test's 200: whether the server took it, the history entry, and the server's words when it did not. */
export const testEmailAnswerSchema = z.strictObject({
  ok: z.boolean(),
  emailId: z.string(),
  to: z.string(),
  messageId: z.string().optional(),
  error: z
    .strictObject({
      code: z.string(),
      message: z.string(),
      response: z.string().optional(),
      hint: z.string().optional(),
      ...hintKeyFields,
    })
    .optional(),
});
export type TestEmailAnswer = z.input<typeof testEmailAnswerSchema>;

/**
 * Where the test goes: the tenant's own sender address; in platform mode (no sender address of its
 * own) the tenant's contact email, else its reply-to. Neither: a 409 that says what to set.
 */
function testRecipient(tenant: Tenant, s: EmailSettings, platformFrom: string): string {
  if (s.mode !== 'platform') return fromAddress(s, platformFrom).email;
  const to = tenant.email ?? s.replyTo;
  if (!to)
    throw new HttpError(
      409,
      'test_recipient_missing',
      `there is no address to send the test email to: set the tenant's email (PUT /v1/tenants/${tenant.id} with "email") or save email settings with a replyTo`,
    );
  return to;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new DeliveryError(`no answer within ${ms} ms`, {
            code: 'ETIMEDOUT',
            retryable: true,
            ...hintOf('send.timedOut', 'the server did not answer in time: check host and port, and that outgoing connections are allowed'),
          }),
        ),
      ms,
    );
  });
  return Promise.race([p, timeout]).finally(() => clearTimeout(timer));
}

/**
 * "Send test email": a short message through exactly the transport the tenant's documents would use
 * (stored settings, or a draft that is not saved), answered within a bounded time, recorded in the
 * history as a test, written in `language` (English by default).
 */
export async function sendTestEmail(
  deps: ApiDeps,
  tenant: Tenant,
  draft?: EmailSettingsInput,
  language: TestEmailLanguage = 'en',
): Promise<TestEmailAnswer> {
  const stored = await deps.store.settings.get(tenant.id);
  // The same decision as the worker's: defaults when never saved, the platform when the plan fell back.
  const effective: EffectiveSettings = draft
    ? { settings: { ...(await draftSettings(deps, tenant, draft, stored)), version: 0 }, configured: true }
    : effectiveSettings(tenant, stored, deps.config.smtpPlans);
  const settings = effective.settings;
  const to = testRecipient(tenant, settings, deps.config.platform.from);
  await takeTestEmailToken(deps, tenant.id);
  // Built before anything is recorded: settings whose secret cannot be opened are a 409, not a stuck email.
  const transport = testTransport(deps, settings);

  const now = deps.now();
  const route = testEmailRoute(settings, (name) => deps.providers.provider(name)?.label ?? name);
  const { subject, text, html } = testEmailMessage(tenant.name, route, language);
  const content = { text, html, attachments: [] };
  const input = { to: [{ email: to }], cc: [], bcc: [], attachments: [], subject, text, html };
  const record = newEmailRecord({
    id: newEmailId(now),
    tenantId: tenant.id,
    input,
    settings: { ...settings, cc: [], bcc: [] },
    transport: transportOf(effective),
    now,
    test: true,
  });
  try {
    await deps.store.emails.create({ email: record, content });
    await deps.store.emails.update(tenant.id, record.id, (e) => markSending(e, now.toISOString()));
  } catch (e) {
    void Promise.resolve(transport.close?.()).catch(() => undefined);
    throw e;
  }

  const started = Date.now();
  try {
    const message = buildOutgoingMessage(record, content, settings, {
      platformFrom: deps.config.platform.from,
    });
    const result = await withTimeout(transport.send(message), deps.config.timeouts.testEmailMs);
    await deps.store.emails.update(tenant.id, record.id, (e) =>
      applySendSuccess(e, { ...result, durationMs: Date.now() - started }, deps.now().toISOString()),
    );
    if (!draft && !effective.fallback && stored?.lastFailure)
      await deps.store.settings.update(tenant.id, (s) => ({ ...s, lastFailure: undefined }));
    return { ok: true, emailId: record.id, to, messageId: result.messageId };
  } catch (e) {
    const err = isDeliveryError(e) ? e : new DeliveryError((e as Error).message, { code: 'EINTERNAL', retryable: true });
    const at = deps.now().toISOString();
    // Nothing retries a test email: its hint never promises it, and says to send the test again.
    const hint = hintForTestEmail(err);
    await deps.store.emails.update(tenant.id, record.id, (rec) =>
      applySendFailure(
        rec,
        {
          code: err.code,
          retryable: err.retryable,
          responseCode: err.responseCode,
          response: err.response ?? err.message,
          ...hint,
          durationMs: Date.now() - started,
        },
        at,
        true,
      ),
    );
    if (!draft && !effective.fallback && remembersFailureOnSettings(err, settings.mode))
      await deps.store.settings.update(tenant.id, (s) => ({
        ...s,
        // The test's own hint: nothing retries a test email, so it promises no retry.
        lastFailure: { at, code: err.code, response: err.response, responseCode: err.responseCode, ...hint },
      }));
    deps.logger.info({ tenantId: tenant.id, emailId: record.id, code: err.code }, 'test email failed');
    return {
      ok: false,
      emailId: record.id,
      to,
      error: {
        code: err.code,
        message: err.message,
        ...(err.response ? { response: err.response } : {}),
        ...hint,
      },
    };
  } finally {
    void Promise.resolve(transport.close?.()).catch(() => undefined);
  }
}
