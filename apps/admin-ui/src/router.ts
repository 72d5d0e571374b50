/**
 * The screens' addresses, all under /ui/ (the API answers index.html for each, so a reload or a link
 * from the platform lands on the right screen). A new screen is one entry here and one in app.tsx.
 */
export type Route =
  | { name: 'settings' }
  | { name: 'history' }
  | { name: 'email'; id: string }
  | { name: 'document'; type: string; id: string }
  | { name: 'suppressions' }
  | { name: 'notFound' };

export const BASE = '/ui';

export function matchRoute(pathname: string): Route {
  const rest = pathname.startsWith(BASE) ? pathname.slice(BASE.length) : pathname;
  const parts = rest.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts.length === 0 || (parts.length === 1 && parts[0] === 'settings')) return { name: 'settings' };
  if (parts.length === 1 && parts[0] === 'history') return { name: 'history' };
  if (parts.length === 2 && parts[0] === 'emails') return { name: 'email', id: parts[1] };
  if (parts.length === 1 && parts[0] === 'suppressions') return { name: 'suppressions' };
  if (parts.length === 3 && parts[0] === 'documents') return { name: 'document', type: parts[1], id: parts[2] };
  return { name: 'notFound' };
}

/** A path under /ui/ with the language kept, so moving between screens never changes it. */
export function href(path: string, query: Record<string, string | undefined> = {}, currentSearch = ''): string {
  const q = new URLSearchParams();
  const lang = new URLSearchParams(currentSearch).get('lang');
  if (lang) q.set('lang', lang);
  for (const [k, v] of Object.entries(query)) if (v) q.set(k, v);
  const s = q.toString();
  return `${BASE}${path}${s ? `?${s}` : ''}`;
}

export const paths = {
  settings: () => '/',
  history: () => '/history',
  email: (id: string) => `/emails/${encodeURIComponent(id)}`,
  document: (type: string, id: string) => `/documents/${encodeURIComponent(type)}/${encodeURIComponent(id)}`,
  suppressions: () => '/suppressions',
};
