import { MongoBulkWriteError, MongoServerError, WriteError } from 'mongodb';

export function isDuplicateKeyError(error: unknown): error is MongoServerError {
  return error instanceof MongoServerError && error.code === 11000;
}

/** A duplicate on the given index (by its key pattern or, on servers that omit it, its name). */
export function isDuplicateOn(error: unknown, indexName: string, field: string): boolean {
  if (!isDuplicateKeyError(error)) return false;
  const keyPattern = error.keyPattern as Record<string, unknown> | undefined;
  if (keyPattern) return field in keyPattern;
  return error.message.includes(indexName);
}

/** The write errors of an unordered bulk insert, or null when it failed as a whole (not per document). */
export function bulkWriteErrors(error: unknown): readonly WriteError[] | null {
  if (!(error instanceof MongoBulkWriteError)) return null;
  const errors = error.writeErrors;
  return errors instanceof WriteError ? [errors] : errors;
}

/** A bulk insert's error on one document that is a duplicate on the given index (the message names it). */
export function isWriteDuplicateOn(error: WriteError, indexName: string): boolean {
  return error.code === 11000 && (error.errmsg ?? '').includes(indexName);
}
