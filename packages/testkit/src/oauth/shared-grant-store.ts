/**
 * A stand-in for the settings store's columns that hold a tenant's OAuth connection, shared by the
 * token managers of several "workers" in one test, as the real store is shared by real workers.
 * Structurally an `OAuthGrantHandle` of @mailroom/oauth (the testkit does not depend on it).
 * It records every write, so a test can prove a refresh was stored once and rotated tokens kept.
 */
export interface SharedGrant {
  vendor: 'google' | 'microsoft';
  via: 'smtp' | 'graph';
  refreshToken: string;
  accessToken?: string;
  accessTokenExpiresAt?: number;
}

export interface SharedGrantWrite {
  accessToken: string;
  accessTokenExpiresAt: number;
  refreshToken: string;
  refreshTokenRotated: boolean;
}

export interface SharedGrantStore {
  tenantId: string;
  /** What is stored now. */
  current: SharedGrant;
  writes: SharedGrantWrite[];
  read(): Promise<SharedGrant>;
  write(tokens: SharedGrantWrite): Promise<void>;
}

export function sharedGrantStore(tenantId: string, initial: SharedGrant, options: { readDelayMs?: number } = {}): SharedGrantStore {
  const store: SharedGrantStore = {
    tenantId,
    current: { ...initial },
    writes: [],
    async read() {
      if (options.readDelayMs) await new Promise((r) => setTimeout(r, options.readDelayMs));
      return { ...store.current };
    },
    async write(tokens) {
      store.writes.push(tokens);
      store.current = {
        ...store.current,
        accessToken: tokens.accessToken,
        accessTokenExpiresAt: tokens.accessTokenExpiresAt,
        refreshToken: tokens.refreshToken,
      };
    },
  };
  return store;
}
