/**
 * The API's words in the admin's language. The API answers in English for programs (a warning's
 * `code`, a 400's `details[].field`); the screens say the same in the reader's language, from what the
 * answer holds, and fall back to the API's sentence only for a case they do not know. An internal field
 * name ("senderName", "limits.perDay") is never shown: the field's label is.
 */
import { ApiError } from '../api/api-client';
import type { HintParts, SettingsAnswer, Warning, WebhookAnswer } from '../api/types';
import type { MessageKey } from './en';
import { hintsEn, HintWords } from './hints-en';
import { hintsEs } from './hints-es';
import { fillIn, I18n, Language } from './i18n';

/** The label of each settings field the API may name (its `details[].field`, cc/bcc entries folded). */
const FIELD_LABELS: Record<string, MessageKey> = {
  mode: 'settings.mode.legend',
  senderName: 'settings.senderName',
  replyTo: 'settings.replyTo',
  cc: 'settings.cc',
  bcc: 'settings.bcc',
  smtp: 'settings.smtp.legend',
  'smtp.preset': 'settings.smtp.preset',
  'smtp.fromAddress': 'settings.smtp.fromAddress',
  'smtp.username': 'settings.smtp.username',
  'smtp.password': 'settings.smtp.password',
  'smtp.host': 'settings.smtp.host',
  'smtp.port': 'settings.smtp.port',
  'smtp.tls': 'settings.smtp.tls',
  provider: 'settings.provider.legend',
  'provider.name': 'settings.provider.name',
  'provider.fromAddress': 'settings.provider.fromAddress',
  'provider.publicApiKey': 'settings.provider.publicApiKey',
  'provider.privateApiKey': 'settings.provider.apiKey',
  'provider.region': 'settings.provider.region',
  'provider.domain': 'settings.provider.domain',
  'provider.webhookVerificationKey': 'webhook.manualKey',
  limits: 'settings.limits.legend',
  'limits.perMinute': 'settings.limits.perMinute',
  'limits.perHour': 'settings.limits.perHour',
  'limits.perDay': 'settings.limits.perDay',
};

/** "SMTP password", "Por día (24 horas)"; a field we do not know by its last word, not its path. */
export function fieldLabel(i18n: I18n, field: string, mode?: string): string {
  if (field === 'provider.privateApiKey' && mode === 'mailjet') return i18n.t('settings.provider.privateApiKey');
  const key = FIELD_LABELS[field];
  return key ? i18n.t(key) : field.split('.').pop()!;
}

/** One problem the API found in a field, in the reader's words; the API's own sentence, its field names replaced, when the case is new. */
export function fieldProblem(i18n: I18n, field: string, message: string, label = fieldLabel(i18n, field)): string {
  let m: RegExpExecArray | null;
  if ((m = /may be at most (\d+): (.+?)'s published sending limit.*?default of (\d+)/.exec(message)))
    return i18n.t('error.limitMax', { max: i18n.number(Number(m[1])), label: m[2], default: i18n.number(Number(m[3])) });
  // The SMTP host guard (smtp_host_unresolvable, smtp_host_not_allowed) names the host; the rest is its English.
  if ((m = /SMTP host (\S+) could not be resolved/.exec(message))) return i18n.t('error.hostUnresolvable', { host: m[1] });
  if ((m = /^(\S+) resolves to a loopback, private or otherwise non-public address/.exec(message)))
    return i18n.t('error.hostNotAllowed', { host: m[1] });
  if (/^replyTo is required in platform mode/.test(message)) return i18n.t('error.replyToPlatform');
  if (/is required|must not be empty|expected \w+, received undefined/.test(message)) return i18n.t('error.required', { label });
  if (/not a valid email address|invalid email/i.test(message)) return i18n.t('error.email');
  if ((m = /has more than (\d+) addresses/.exec(message))) return i18n.t('error.tooManyAddresses', { max: m[1] });
  if ((m = /at most (\d+) characters|expected string to have <=\s*(\d+) characters/.exec(message)))
    return i18n.t('error.tooLong', { max: m[1] ?? m[2] });
  if (/expected int\b/.test(message)) return i18n.t('error.integer');
  if (/expected number, received|received NaN/.test(message)) return i18n.t('error.number');
  if ((m = /expected number to be <=?\s*(\d+)|must be at most (\d+)/.exec(message))) return i18n.t('error.max', { max: m[1] ?? m[2] });
  if ((m = /expected number to be >=?\s*(\d+)|must be at least (\d+)/.exec(message))) return i18n.t('error.min', { min: m[1] ?? m[2] });
  return withoutFieldNames(i18n, message, field, label);
}

/** "limits.perDay must be..." → "«Por día» must be...": a sentence we cannot translate still names no internal field. */
function withoutFieldNames(i18n: I18n, message: string, field: string, label: string): string {
  const last = field.split('.').pop()!;
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const quoted = i18n.t('common.quoted', { text: label });
  return message.replace(new RegExp(`\\b${escape(field)}\\b`, 'g'), quoted).replace(new RegExp(`^${escape(last)}\\b`), quoted);
}

/** The labels of the fields at fault, as a list, quoted the language's way: "«Nombre del email» y «Responder a»", "\"Sender name\" and \"Reply to\"". */
export function fieldList(i18n: I18n, fields: string[], mode?: string): string {
  return i18n.list([...new Set(fields.map((f) => i18n.t('common.quoted', { text: fieldLabel(i18n, f, mode) })))]);
}

/** A settings warning in the reader's language, from its code and the settings it is about; the API's sentence for a code we do not know. */
export function warningText(i18n: I18n, w: Warning, s: SettingsAnswer | null): string {
  const vars = warningVars(i18n, w, s);
  if (!vars) return w.message;
  return i18n.tOr(`warning.${vars.key ?? w.code}`, w.message, vars.values);
}

/** A provider as people write it; one we do not know by its API name. */
export const PROVIDER_LABEL: Record<string, string> = { sendgrid: 'SendGrid', mailgun: 'Mailgun', mailjet: 'Mailjet' };

function warningVars(
  i18n: I18n,
  w: Warning,
  s: SettingsAnswer | null,
): { key?: string; values: Record<string, string | number> } | undefined {
  switch (w.code) {
    case 'plan_fallback': {
      if (!s?.plan) return undefined;
      const plans = (s.smtpPlans ?? []).map((p) => i18n.tOr(`plan.${p}`, p));
      const or = new Intl.ListFormat(i18n.locale, { type: 'disjunction' });
      return { values: { plan: i18n.tOr(`plan.${s.plan}`, s.plan), plans: or.format(plans), senderName: s.senderName } };
    }
    case 'from_differs_from_username':
      if (!s?.smtp) return undefined;
      return {
        values: { from: s.smtp.fromAddress, username: s.smtp.username, provider: i18n.tOr(`preset.${s.smtp.preset}`, s.smtp.preset) },
      };
    case 'port_tls_mismatch':
      return s?.smtp && (s.smtp.port === 465 || s.smtp.port === 587) ? { key: `port_tls_mismatch.${s.smtp.port}`, values: {} } : undefined;
    case 'webhook_not_registered': {
      const name = s?.provider?.name;
      if (!name || !s?.webhook) return undefined;
      const reason = webhookFailure(i18n, s.webhook);
      const values = { provider: PROVIDER_LABEL[name] ?? name, url: s.webhook.url };
      return reason ? { key: 'webhook_not_registered.because', values: { ...values, reason } } : { values };
    }
    case 'provider_credentials_refused': {
      // The provider refused the key, region or domain: what to check, by the registration's hint key.
      const name = s?.provider?.name;
      const hook = s?.webhook;
      const reason = hook ? webhookFailure(i18n, hook) : undefined;
      const check = hook?.hintKey ? i18n.tOr(`refused.check.${hook.hintKey}`, '') : '';
      return name && reason && check ? { values: { provider: PROVIDER_LABEL[name] ?? name, reason, check } } : undefined;
    }
    case 'mailgun_domain_mismatch': {
      const from = s?.provider?.fromAddress.split('@')[1];
      return from && s?.provider?.domain ? { values: { from, domain: s.provider.domain } } : undefined;
    }
    case 'last_send_failed': {
      // An older API answered the message alone: it is shown as it is.
      if (!w.failure) return undefined;
      const values = { date: i18n.date(w.failure.at), code: w.failure.code };
      const hint = hintText(i18n, w.failure);
      return hint ? { key: 'last_send_failed.hint', values: { ...values, hint } } : { values };
    }
    case 'reply_to_missing':
    case 'oauth_reconnect_required':
    case 'gmail_app_password':
      return { values: {} };
    default:
      return undefined;
  }
}

/** Why connecting a mailbox failed (`?oauth=error&reason=...`), in words; the raw code only when it is new to us. */
export function oauthFailure(i18n: I18n, reason: string): string {
  const words = i18n.tOr(`oauth.reason.${reason}`, '');
  return words ? i18n.t('settings.oauth.failed', { reason: words }) : i18n.t('settings.oauth.failedCode', { reason });
}

const HINT_WORDS: Record<Language, Record<string, string | undefined>> = { en: hintsEn, es: hintsEs } satisfies Record<Language, HintWords>;

/**
 * A failure's hint (an attempt's, a test email's) in the reader's language, from its key, its values
 * and what followed it; the API's English sentence when the hint has no key (a record older than the
 * keys) or one this screen does not know.
 */
export function hintText(i18n: I18n, h: HintParts): string | undefined {
  if (!h.hintKey && !h.hintThen) return h.hint;
  const words = HINT_WORDS[i18n.lang];
  const advice = h.hintKey ? words[h.hintKey] : '';
  const then = h.hintThen ? words[`then.${h.hintThen}`] : '';
  if (advice === undefined || then === undefined) return h.hint;
  return fillIn([advice, then].filter(Boolean).join(' '), h.hintParams);
}

/**
 * Why a provider webhook's registration failed, and what to do, in the reader's language; undefined
 * when the answer says it only in English (a record older than the keys, a key this screen does not know).
 */
export function webhookFailure(i18n: I18n, w: Pick<WebhookAnswer, 'error' | 'hintKey' | 'hintParams' | 'hintThen'>): string | undefined {
  return w.error ? hintText(i18n, { hintKey: w.hintKey, hintParams: w.hintParams, hintThen: w.hintThen }) : undefined;
}

/** The API's error codes the screens say in words of their own. */
const API_ERROR_WORDS: Record<string, MessageKey> = {
  forbidden: 'apiError.forbidden',
  invalid_cursor: 'apiError.invalidCursor',
  invalid_request: 'apiError.invalidRequest',
  rate_limited: 'apiError.rateLimited',
  queue_unavailable: 'apiError.unavailable',
  internal: 'apiError.internal',
};

/**
 * Why a request failed, in the reader's language: by the API's error code; a gateway's answer without
 * one (502-504) as unavailable; no answer at all (fetch's TypeError) as unreachable. The API's English
 * sentence only for a code this screen does not know.
 */
export function apiProblem(i18n: I18n, e: unknown): string {
  if (!(e instanceof ApiError)) return e instanceof TypeError ? i18n.t('apiError.network') : String((e as Error)?.message ?? e);
  const key = API_ERROR_WORDS[e.code] ?? (/^http_50[234]$/.test(e.code) ? 'apiError.unavailable' : undefined);
  return key ? i18n.t(key) : e.message;
}
