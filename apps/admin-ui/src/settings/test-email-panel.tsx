import { useState } from 'preact/hooks';
import { ApiError, type ApiClient } from '../api/api-client';
import type { TestEmailAnswer } from '../api/types';
import { Notice } from '../components/notices';
import type { I18n } from '../i18n/i18n';

/**
 * "Enviar email de prueba": to the sender address, through the saved settings, or through the form
 * as it is (a draft, not saved) when it has changes. A failure shows the server's own words and the
 * hint. Field errors of a draft go back to the form.
 */
export function TestEmailPanel(props: {
  i18n: I18n;
  api: ApiClient;
  /** The draft body when the form differs from what is saved; undefined tests the saved settings. */
  draft: Record<string, unknown> | undefined;
  onFieldErrors: (e: ApiError) => void;
}) {
  const { i18n, api, draft, onFieldErrors } = props;
  const [busy, setBusy] = useState(false);
  const [answer, setAnswer] = useState<TestEmailAnswer | null>(null);
  const [problem, setProblem] = useState<string | null>(null);

  const send = async () => {
    setBusy(true);
    setAnswer(null);
    setProblem(null);
    try {
      setAnswer(await api.sendTestEmail(draft));
    } catch (e) {
      if (e instanceof ApiError && e.details.length) onFieldErrors(e);
      setProblem(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="test-heading">
      <h2 id="test-heading">{i18n.t('test.heading')}</h2>
      <p class="help" id="test-help">
        {i18n.t(draft ? 'test.help.draft' : 'test.help.saved')}
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
              {answer.error?.hint ? (
                <>
                  <dt>{i18n.t('test.hint')}</dt>
                  <dd class="hint">{answer.error.hint}</dd>
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
        {problem ? <Notice kind="error">{i18n.t('test.notSent', { message: problem })}</Notice> : null}
      </div>
    </section>
  );
}
