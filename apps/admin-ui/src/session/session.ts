/**
 * The tenant token the platform hands over in the URL fragment (`/ui/#token=...&tenant=...`): a
 * fragment is never sent to a server, so it reaches no access log. It is taken out of the address
 * bar at once (history.replaceState) and kept in sessionStorage: one tab, gone when the tab closes,
 * but still there after a reload inside the platform's iframe. Nothing else is stored.
 */
export interface Session {
  token: string;
  tenantId: string;
}

const STORAGE_KEY = 'mailroom.session';

/** `#token=...&tenant=...` as a Session, or null when either is missing. */
export function parseFragment(hash: string): Session | null {
  const params = new URLSearchParams(hash.replace(/^#/, ''));
  const token = params.get('token')?.trim();
  const tenantId = params.get('tenant')?.trim();
  return token && tenantId ? { token, tenantId } : null;
}

/** The fragment's session (removed from the address bar), else the one this tab already had. */
export function takeSession(win: Pick<Window, 'location' | 'history' | 'sessionStorage'>): Session | null {
  const fromFragment = parseFragment(win.location.hash);
  const storage = safeStorage(win);
  if (fromFragment) {
    win.history.replaceState(win.history.state, '', win.location.pathname + win.location.search);
    storage?.setItem(STORAGE_KEY, JSON.stringify(fromFragment));
    return fromFragment;
  }
  const saved = storage?.getItem(STORAGE_KEY);
  if (!saved) return null;
  try {
    const s = JSON.parse(saved) as Partial<Session>;
    return typeof s.token === 'string' && typeof s.tenantId === 'string' ? { token: s.token, tenantId: s.tenantId } : null;
  } catch {
    return null;
  }
}

/** Forget the token (it expired): the next load asks the platform for a new one. */
export function forgetSession(win: Pick<Window, 'sessionStorage'>): void {
  safeStorage(win)?.removeItem(STORAGE_KEY);
}

/** A browser that blocks storage in third-party frames throws on access: then the token lives in memory only. */
function safeStorage(win: Pick<Window, 'sessionStorage'>): Storage | null {
  try {
    return win.sessionStorage;
  } catch {
    return null;
  }
}
