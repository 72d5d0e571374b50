import path from 'node:path';
import type { Store } from './store.port';
import type { StoreLogger } from './store-logger';
import { SqliteStore } from './sqlite/sqlite-store';
import { MongoStore } from './mongo/mongo-store';

export interface CreateStoreOptions {
  logger?: StoreLogger;
}

const SQLITE_PREFIX = 'sqlite:';
const MONGO_URL = /^mongodb(\+srv)?:\/\//;

/**
 * Picks the adapter from STORE_URL: `sqlite:PATH` (relative to the working directory;
 * `sqlite::memory:` for a throwaway database) or `mongodb://` / `mongodb+srv://`.
 * Nothing is opened over the network until `init()`; the SQLite file is opened (and its directory
 * created) here.
 */
export function createStore(url: string, options: CreateStoreOptions = {}): Store {
  if (url.startsWith(SQLITE_PREFIX)) {
    const file = url.slice(SQLITE_PREFIX.length);
    if (file === '') throw new Error('STORE_URL "sqlite:" needs a file path, e.g. sqlite:./data/mailroom.db');
    return new SqliteStore({ filename: file === ':memory:' ? file : path.resolve(file), logger: options.logger });
  }
  if (MONGO_URL.test(url)) return new MongoStore({ url, logger: options.logger });
  // Only the scheme is quoted: the rest of a URL may hold credentials.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1];
  throw new Error(
    `STORE_URL must be sqlite:PATH or a mongodb:// (or mongodb+srv://) URL; got ${scheme ? `a "${scheme}:" URL` : 'a value without a scheme'}`,
  );
}
