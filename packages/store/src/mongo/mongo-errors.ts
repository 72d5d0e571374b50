import { MongoServerError } from 'mongodb';

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
