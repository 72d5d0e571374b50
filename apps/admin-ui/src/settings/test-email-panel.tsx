import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/api-client';
import type { TestEmailAnswer } from '../api/types';
import { Notice } from '../components/notices';
import { apiProblem, hintText } from '../i18n/api-words';
import type { I18n } from '../i18n/i18n';

/** Where the test goes: an address the screen knows, or (not known here) the sender or the contact address. */
export type TestRecipient = { kind: 'address'; address: string } | { kind: 'sender' } | { kind: 'contact' };

/**
 * "Enviar email de prueba": through the saved settings, or through the form as it is (a draft, not
 * saved) when it has changes; the help names where it goes. A failure shows the server's own words
 * and the hint. A draft the API refuses marks the form's fields, and says so here: nothing was saved,
 * so no save failed. The email is written in the screen's language.
 */
export function TestEmailPanel(props: {
  i18n: I18n;
  api: ApiClient;
  /** The draft body when the form differs from what is saved; undefined tests the saved settings. */
  draft: Record<string, unknown> | undefined;
  /** What the form's settings are now (testedSettingsKey): a result shows only while they are what was tested. */
  settingsKey: string;
  recipient: TestRecipient;
  onFieldErrors: (details: ApiError['details']) => void;
  /** The server took the test: the form's settings work, so earlier complaints about them are stale. */
  onSent: () => void;
  /** The labels of the fields at fault, as a list ("«Responder a»"). */
  fieldList: (fields: string[]) => string;
}) {
  const { i18n, api, draft, recipient, onFieldErrors } = props;
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<{ key: string; answer: TestEmailAnswer | null; problem: string | null } | null>(null);
  // Another mode, provider, server or sender since the test: its result is not about this form.
  const current = result?.key === props.settingsKey ? result : null;
  const answer = current?.answer ?? null;
  const problem = current?.problem ?? null;

  const send = async () => {
    const key = props.settingsKey;
    setBusy(true);
    setResult(null);
    try {
      // In the screen's language: the email the admin receives, and its subject in the history.
      const answer = await api.sendTestEmail(draft, i18n.lang);
      setResult({ key, answer, problem: null });
      if (answer.ok) props.onSent();
    } catch (e) {
      setResult({ key, answer: null, problem: problemText(e) });
    } finally {
      setBusy(false);
    }
  };
  const problemText = (e: unknown): string => {
    if (!(e instanceof ApiError)) return i18n.t('test.notSent', { message: apiProblem(i18n, e) });
    if (e.details.length) {
      onFieldErrors(e.details);
      return i18n.t('test.fixFields', { fields: props.fieldList(e.details.map((d) => d.field)) });
    }
    if (e.code === 'test_recipient_missing') return i18n.t('test.noRecipient');
    if (e.status === 429) return i18n.t('test.rateLimited');
    return i18n.t('test.notSent', { message: apiProblem(i18n, e) });
  };

  const to =
    recipient.kind === 'address'
      ? i18n.t('test.to.address', { address: recipient.address })
      : i18n.t(recipient.kind === 'sender' ? 'test.to.sender' : 'test.to.contact');
  const hint = answer?.error ? hintText(i18n, answer.error) : undefined;
  return (
    <section class="panel" aria-labelledby="test-heading">
      <h2 id="test-heading">{i18n.t('test.heading')}</h2>
      <p class="help" id="test-help">
        {i18n.t(draft ? 'test.help.draft' : 'test.help.saved', { to })}
      </p>
      <button type="button" class="secondary" onClick={send} disabled={busy} aria-describedby="test-help">
        {busy ? i18n.t('test.sending') : i18n.t('test.button')}
      </button>
      <div class="test-result">
        {answer?.ok ? <Notice kind="success">{i18n.t('test.ok', { to: answer.to })}</Notice> : null}
        {answer && !answer.ok ? (
          <Notice kind="error" title={i18n.t('test.failed', { to: answer.to })}>
            <dl class="failure">
              {answer.error?.response || answer.error?.message ? (
                <>
                  <dt>{i18n.t('test.serverSaid')}</dt>
                  <dd>
                    <code class="server-words">{answer.error.response ?? answer.error.message}</code>
                  </dd>
                </>
              ) : null}
              {hint ? (
                <>
                  <dt>{i18n.t('test.hint')}</dt>
                  <dd class="hint">{hint}</dd>
                </>
              ) : null}
              {answer.error?.code ? (
                <>
                  <dt>{i18n.t('test.code')}</dt>
                  <dd>
                    <code>{answer.error.code}</code>
                  </dd>
                </>
              ) : null}
            </dl>
          </Notice>
        ) : null}
        {problem ? (
          <Notice kind="error" id="test-problem">
            {problem}
          </Notice>
        ) : null}
      </div>
    </section>
  );
}
