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
    const filename = file === ':memory:' ? file : path.resolve(file);
    try {
      return new SqliteStore({ filename, logger: options.logger });
    } catch (e) {
      throw sqliteOpenError(filename, e as Error);
    }
  }
  if (MONGO_URL.test(url)) return new MongoStore({ url, logger: options.logger });
  // Only the scheme is quoted: the rest of a URL may hold credentials.
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(url)?.[1];
  throw new Error(
    `STORE_URL must be sqlite:PATH or a mongodb:// (or mongodb+srv://) URL; got ${scheme ? `a "${scheme}:" URL` : 'a value without a scheme'}`,
  );
}

/**
 * The SQLite file could not be opened: say which file, which variables decide it and what to check,
 * instead of better-sqlite3's bare "unable to open database file" (an unwritable volume under a
 * non-root container user is the usual cause).
 */
function sqliteOpenError(filename: string, cause: Error): Error {
  const who = typeof process.getuid === 'function' ? ` (uid ${process.getuid()})` : '';
  return new Error(
    `Cannot open the SQLite store at ${filename} (STORE_URL, by default DATA_DIR/mailroom.db): ${cause.message}. ` +
      `Check that DATA_DIR (or the directory in STORE_URL) is a directory this process${who} can create and write to.`,
    { cause },
  );
}
