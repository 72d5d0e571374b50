import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/api-client';
import type { SettingsAnswer } from '../api/types';
import { useApp } from '../app-context';
import { LoadProblem, useLoad } from '../components/load-state';
import { Notice } from '../components/notices';
import { apiProblem, fieldList, fieldProblem, fieldLabel, oauthFailure, warningText } from '../i18n/api-words';
import type { I18n } from '../i18n/i18n';
import { CommonFields } from './common-fields';
import { ModePicker } from './mode-picker';
import { ProviderFields } from './provider-fields';
import {
  allowedModes,
  bodyFromForm,
  errorsByField,
  errorsStillStanding,
  fieldOf,
  formFromSettings,
  SettingsForm,
  testedSettingsKey,
} from './settings-form';
import { LimitsFields } from './limits-fields';
import { SmtpFields } from './smtp-fields';
import { TestEmailPanel, type TestRecipient } from './test-email-panel';

/** A tenant that never saved settings gets the platform defaults with `configured: false` (an older API answered 404). */
async function loadSettings(api: ApiClient): Promise<SettingsAnswer | null> {
  try {
    const s = await api.getSettings();
    return s.configured === false ? { ...s, warnings: s.warnings ?? [] } : s;
  } catch (e) {
    if (e instanceof ApiError && e.status === 404 && e.code === 'settings_not_found') return null;
    throw e;
  }
}

/** "Envío de emails": load, edit, save; the API decides and its words are shown where they belong. */
export function SettingsScreen() {
  const { api, i18n } = useApp();
  const [loaded, reload] = useLoad(() => loadSettings(api), 'settings');
  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        {i18n.t('settings.heading')}
      </h1>
      <p class="intro">{i18n.t('settings.intro')}</p>
      {loaded.state === 'ready' ? (
        <SettingsEditor initial={loaded.value} reload={reload} />
      ) : (
        <LoadProblem loaded={loaded} i18n={i18n} reload={reload} />
      )}
    </>
  );
}

function SettingsEditor({ initial, reload }: { initial: SettingsAnswer | null; reload: () => void }) {
  const { api, i18n } = useApp();
  const [answer, setAnswer] = useState(initial);
  const [form, setForm] = useState<SettingsForm>(() => formFromSettings(initial));
  const [savedBody, setSavedBody] = useState(() => JSON.stringify(bodyFromForm(formFromSettings(initial))));
  const [errors, setErrors] = useState<Record<string, string>>({});
  // A save the API answered with warnings (a provider refusing the key, region or domain) says them in its outcome.
  const [outcome, setOutcome] = useState<{ ok: true; warned: boolean } | { ok: false; message: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const outcomeRef = useRef<HTMLDivElement>(null);
  // The tenant's contact address, where a platform-mode test goes: null when it has none, undefined while unknown.
  const [contactEmail, setContactEmail] = useState<string | null | undefined>(undefined);
  useEffect(() => {
    api.getTenant().then(
      (t) => setContactEmail(t.email ?? null),
      () => undefined,
    );
  }, []);

  const configured = answer !== null && answer.configured !== false;
  const body = useMemo(() => bodyFromForm(form), [form]);
  const dirty = !configured || JSON.stringify(body) !== savedBody;
  const patch = (p: Partial<SettingsForm>) => setForm((f) => ({ ...f, ...p }));
  // An edit answers the complaints about what it changed: that field's error goes, and the last save's
  // notice (about the form as it was, saved or not) with it. Errors of fields left as they were stay.
  const lastBody = useRef(body);
  useEffect(() => {
    const before = lastBody.current;
    lastBody.current = body;
    if (JSON.stringify(before) === JSON.stringify(body)) return;
    setErrors((e) => errorsStillStanding(e, before, body));
    setOutcome(null);
  }, [body]);
  // A test email the server took: the settings it tested work, so no complaint about them stands.
  const onTestSent = () => {
    setErrors({});
    setOutcome((o) => (o && !o.ok ? null : o));
  };

  // The API's field errors, at their fields and in the reader's words (labels, never field names).
  const markFields = (details: ApiError['details']) => {
    const providerName = form.mode === 'provider' ? form.provider.name : undefined;
    setErrors(errorsByField(details, (field, message) => fieldProblem(i18n, field, message, fieldLabel(i18n, field, providerName))));
  };
  const showApiError = (e: unknown) => {
    const err = e instanceof ApiError ? e : new ApiError(0, 'internal', String(e));
    markFields(err.details);
    const message = err.details.length
      ? i18n.t('settings.checkFields', {
          fields: fieldList(
            i18n,
            err.details.map((d) => fieldOf(d.field)),
            form.provider.name,
          ),
        })
      : apiProblem(i18n, err);
    setOutcome({ ok: false, message });
  };

  const save = async (ev: Event) => {
    ev.preventDefault();
    setBusy(true);
    setOutcome(null);
    try {
      const saved = await api.saveSettings(body);
      const next = formFromSettings(saved);
      // The form as the save answered it (secrets emptied) is not an edit: its notice stays.
      lastBody.current = bodyFromForm(next);
      setAnswer(saved);
      setForm(next);
      setSavedBody(JSON.stringify(bodyFromForm(next)));
      setErrors({});
      setOutcome({ ok: true, warned: (saved.warnings ?? []).length > 0 });
    } catch (e) {
      showApiError(e);
    } finally {
      setBusy(false);
    }
  };
  // The result is announced (role=alert/status); focus goes to it so keyboard users go on from there,
  // in the same frame as it appears (a layout effect), not a frame later.
  useLayoutEffect(() => {
    if (outcome) outcomeRef.current?.querySelector<HTMLElement>('#save-outcome')?.focus();
  }, [outcome]);

  const warnings = answer?.warnings ?? [];
  const warningList = (
    <ul class="warnings">
      {warnings.map((w, i) => (
        <li key={i} data-code={w.code}>
          {warningText(i18n, w, answer)}
        </li>
      ))}
    </ul>
  );
  // Just saved with warnings: they are in the save's outcome (where the focus goes), not twice.
  const savedWithWarnings = outcome?.ok === true && outcome.warned && warnings.length > 0;
  return (
    <>
      <OAuthOutcome />
      {!configured ? <Notice kind="info">{i18n.t('settings.notConfigured')}</Notice> : null}
      {warnings.length && !savedWithWarnings ? (
        <Notice kind="warning" title={i18n.t('settings.warnings')}>
          {warningList}
        </Notice>
      ) : null}
      <div ref={outcomeRef}>
        {savedWithWarnings ? (
          <Notice kind="warning" id="save-outcome" title={i18n.t('settings.savedWithWarnings')}>
            {warningList}
          </Notice>
        ) : outcome?.ok ? (
          <Notice kind="success" id="save-outcome">
            {i18n.t('settings.saved')}
          </Notice>
        ) : null}
        {outcome && !outcome.ok ? (
          <Notice kind="error" id="save-outcome" title={i18n.t('settings.notSaved', { message: outcome.message })}>
            {Object.keys(errors).length ? <p>{i18n.t('settings.fix')}</p> : null}
          </Notice>
        ) : null}
      </div>
      <form class="settings" onSubmit={save} noValidate aria-labelledby="page-heading">
        <ModePicker
          i18n={i18n}
          value={form.mode}
          allowed={allowedModes(answer)}
          smtpPlans={answer?.smtpPlans}
          error={errors.mode}
          onChange={(mode) => patch({ mode })}
        />
        {form.mode === 'smtp' ? (
          <SmtpFields
            i18n={i18n}
            api={api}
            smtp={form.smtp}
            saved={answer?.mode === 'smtp' ? answer.smtp : undefined}
            oauth={answer?.oauth}
            reconnectNeeded={warnings.some((w) => w.code === 'oauth_reconnect_required')}
            onConnected={reload}
            errors={errors}
            onChange={(smtp) => patch({ smtp })}
          />
        ) : null}
        {form.mode === 'provider' ? (
          <ProviderFields
            i18n={i18n}
            provider={form.provider}
            answer={answer}
            errors={errors}
            onChange={(provider) => patch({ provider })}
          />
        ) : null}
        <CommonFields i18n={i18n} form={form} errors={errors} onChange={patch} />
        {form.mode !== 'platform' ? (
          <LimitsFields i18n={i18n} form={form} limits={form.limits} errors={errors} onChange={(limits) => patch({ limits })} />
        ) : null}
        <div class="actions">
          <button type="submit" class="primary" disabled={busy}>
            {busy ? i18n.t('settings.saving') : i18n.t('settings.save')}
          </button>
        </div>
      </form>
      <TestEmailPanel
        i18n={i18n}
        api={api}
        draft={dirty ? body : undefined}
        settingsKey={testedSettingsKey(body)}
        recipient={testRecipient(form, dirty ? undefined : answer, contactEmail)}
        onFieldErrors={markFields}
        onSent={onTestSent}
        fieldList={(fields) => fieldList(i18n, fields.map(fieldOf), form.provider.name)}
      />
    </>
  );
}

/**
 * Where the test email goes, as the API decides it (send-test-email.ts): the sender address of the
 * settings tested; in platform mode the tenant's contact address, else the reply-to. `saved` is the
 * answer when the saved settings are tested (a plan fallback sends through the platform).
 */
function testRecipient(
  form: SettingsForm,
  saved: SettingsAnswer | null | undefined,
  contactEmail: string | null | undefined,
): TestRecipient {
  const mode = saved?.transport?.mode ?? saved?.mode ?? form.mode;
  if (mode === 'platform') {
    if (contactEmail === undefined) return { kind: 'contact' };
    const address = contactEmail ?? form.replyTo.trim();
    return address ? { kind: 'address', address } : { kind: 'contact' };
  }
  const from = (mode === 'smtp' ? form.smtp.fromAddress : form.provider.fromAddress).trim();
  return from ? { kind: 'address', address: from } : { kind: 'sender' };
}

/**
 * Back from connecting a mailbox: the callback added `?oauth=connected` (or `oauth=error&reason=...`)
 * to this screen's address. Said once, then taken out of the address bar.
 */
function OAuthOutcome() {
  const { i18n } = useApp();
  const [outcome] = useState(() => {
    const q = new URLSearchParams(window.location.search);
    const oauth = q.get('oauth');
    if (!oauth) return null;
    q.delete('oauth');
    const reason = q.get('reason') ?? 'unknown';
    q.delete('reason');
    const rest = q.toString();
    window.history.replaceState(window.history.state, '', `${window.location.pathname}${rest ? `?${rest}` : ''}`);
    return oauth === 'connected' ? { ok: true as const } : { ok: false as const, reason };
  });
  if (!outcome) return null;
  return outcome.ok ? (
    <Notice kind="success">{i18n.t('settings.oauth.done')}</Notice>
  ) : (
    <Notice kind="error">{oauthFailure(i18n, outcome.reason)}</Notice>
  );
}
