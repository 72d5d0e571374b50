import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/api-client';
import type { I18n } from './i18n/i18n';

export interface AppContext {
  api: ApiClient;
  i18n: I18n;
  /** Moves to another screen without reloading (the token stays in memory). */
  navigate: (url: string) => void;
  /** The current query string ("?lang=en&status=failed"). */
  search: string;
}

export const Ctx = createContext<AppContext | null>(null);

export function useApp(): AppContext {
  const c = useContext(Ctx);
  if (!c) throw new Error('useApp outside the app');
  return c;
}
