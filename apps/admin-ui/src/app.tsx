import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { ApiClient } from './api/api-client';
import { Ctx, type AppContext } from './app-context';
import { Link } from './components/link';
import { DocumentScreen } from './documents/document-screen';
import { EmailDetailScreen } from './history/email-detail-screen';
import { HistoryScreen } from './history/history-screen';
import { createI18n, LANGUAGES, pickLanguage, type I18n } from './i18n/i18n';
import { href, matchRoute, paths, type Route } from './router';
import { forgetSession, type Session } from './session/session';
import { SettingsScreen } from './settings/settings-screen';
import { SuppressionsScreen } from './suppressions/suppressions-screen';

function currentLocation() {
  return { pathname: window.location.pathname, search: window.location.search };
}

/** The shell: session gate, language, landmarks, navigation between screens without reloads. */
export function App({ session }: { session: Session | null }) {
  const [loc, setLoc] = useState(currentLocation);
  const [expired, setExpired] = useState(false);
  const i18n = useMemo(
    () => createI18n(pickLanguage(loc.search, navigator.languages ?? [navigator.language]), navigator.languages ?? []),
    [loc.search],
  );
  const route = matchRoute(loc.pathname);
  const moved = useRef(false);

  useEffect(() => {
    const onPop = () => setLoc(currentLocation());
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);
  useEffect(() => {
    document.documentElement.lang = i18n.lang;
    document.title = `${i18n.t('app.title')} · Mailroom`;
  }, [i18n]);
  // After moving to another screen, focus its heading so a screen reader says where we are.
  useEffect(() => {
    if (moved.current) document.getElementById('page-heading')?.focus();
  }, [loc.pathname]);

  const api = useMemo(
    () =>
      session &&
      new ApiClient(session, () => {
        forgetSession(window);
        setExpired(true);
      }),
    [session],
  );

  if (!session || !api || expired) return <SessionProblem i18n={i18n} kind={session ? 'expired' : 'missing'} />;

  const ctx: AppContext = {
    api,
    i18n,
    search: loc.search,
    navigate: (url) => {
      window.history.pushState(null, '', url);
      moved.current = true;
      setLoc(currentLocation());
    },
  };
  const compact = route.name === 'document';
  return (
    <Ctx.Provider value={ctx}>
      <a class="skip" href="#main">
        {i18n.t('app.skip')}
      </a>
      {compact ? null : <Header route={route} i18n={i18n} search={loc.search} pathname={loc.pathname} />}
      <main id="main" class={compact ? 'compact' : undefined}>
        <Screen route={route} i18n={i18n} />
      </main>
    </Ctx.Provider>
  );
}

function Screen({ route, i18n }: { route: Route; i18n: I18n }) {
  switch (route.name) {
    case 'settings':
      return <SettingsScreen />;
    case 'history':
      return <HistoryScreen />;
    case 'email':
      return <EmailDetailScreen id={route.id} />;
    case 'document':
      return <DocumentScreen type={route.type} id={route.id} />;
    case 'suppressions':
      return <SuppressionsScreen />;
    default:
      return (
        <h1 id="page-heading" tabIndex={-1}>
          {i18n.t('common.notFound')}
        </h1>
      );
  }
}

function Header({ route, i18n, search, pathname }: { route: Route; i18n: I18n; search: string; pathname: string }) {
  const current = (name: Route['name']) => (route.name === name ? ('page' as const) : undefined);
  const keep = Object.fromEntries([...new URLSearchParams(search)].filter(([k]) => k !== 'lang'));
  return (
    <header class="top">
      <p class="brand">{i18n.t('app.title')}</p>
      <nav aria-label={i18n.t('nav.label')}>
        <ul>
          <li>
            <Link to={href(paths.settings(), {}, search)} aria-current={current('settings')}>
              {i18n.t('nav.settings')}
            </Link>
          </li>
          <li>
            <Link
              to={href(paths.history(), {}, search)}
              aria-current={route.name === 'history' || route.name === 'email' ? 'page' : undefined}
            >
              {i18n.t('nav.history')}
            </Link>
          </li>
          <li>
            <Link to={href(paths.suppressions(), {}, search)} aria-current={current('suppressions')}>
              {i18n.t('nav.suppressions')}
            </Link>
          </li>
        </ul>
      </nav>
      <nav aria-label={i18n.t('lang.label')} class="langs">
        <ul>
          {LANGUAGES.map((l) => (
            <li key={l}>
              <Link to={`${pathname}?${new URLSearchParams({ ...keep, lang: l })}`} aria-current={i18n.lang === l ? 'page' : undefined}>
                <span lang={l}>{l === 'es' ? 'Español' : 'English'}</span>
              </Link>
            </li>
          ))}
        </ul>
      </nav>
    </header>
  );
}

function SessionProblem({ i18n, kind }: { i18n: I18n; kind: 'missing' | 'expired' }) {
  return (
    <main id="main" class="session-problem">
      <h1>{i18n.t(`session.${kind}.title`)}</h1>
      <p>{i18n.t(`session.${kind}.body`)}</p>
    </main>
  );
}
