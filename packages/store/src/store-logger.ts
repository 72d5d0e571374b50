/** What the store needs of a logger: pino's signature, so the apps pass their own pino instance. */
export interface StoreLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentStoreLogger: StoreLogger = {
  debug() {},
  info() {},
  warn() {},
  error() {},
};
