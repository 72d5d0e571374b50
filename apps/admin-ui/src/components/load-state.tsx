import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, SessionExpiredError } from '../api/api-client';
import type { I18n } from '../i18n/i18n';
import { Loading, Notice } from './notices';
import { apiProblem } from '../i18n/api-words';

export type Loaded<T> = { state: 'loading' } | { state: 'ready'; value: T } | { state: 'failed'; error: Error };

/** Loads once per `key`, and again on reload(). */
export function useLoad<T>(load: () => Promise<T>, key: string): [Loaded<T>, () => void, (v: T) => void] {
  const [loaded, setLoaded] = useState<Loaded<T>>({ state: 'loading' });
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    setLoaded({ state: 'loading' });
    load().then(
      (value) => live && setLoaded({ state: 'ready', value }),
      (error: Error) => live && setLoaded({ state: 'failed', error }),
    );
    return () => {
      live = false;
    };
  }, [key, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const replace = useCallback((value: T) => setLoaded({ state: 'ready', value }), []);
  return [loaded, reload, replace];
}

/** "Loading…", or what went wrong with a way to try again. A 401 is shown by the app shell instead. */
export function LoadProblem({ loaded, i18n, reload }: { loaded: Loaded<unknown>; i18n: I18n; reload: () => void }) {
  if (loaded.state === 'loading') return <Loading label={i18n.t('common.loading')} />;
  if (loaded.state !== 'failed' || loaded.error instanceof SessionExpiredError) return null;
  const e = loaded.error;
  const message =
    e instanceof ApiError && e.status === 403
      ? i18n.t('common.forbidden')
      : e instanceof ApiError && e.status === 404
        ? i18n.t('common.notFound')
        : apiProblem(i18n, e);
  return (
    <Notice kind="error" title={i18n.t('common.loadFailed', { message })}>
      <button type="button" class="secondary" onClick={reload}>
        {i18n.t('common.tryAgain')}
      </button>
    </Notice>
  );
}
