import type { BatchBodyReading } from '../use-cases/batch-items';

/** A body for a batch-body thread to read; `undefined` when the request had no JSON body. */
export interface ToThread {
  id: number;
  body: Uint8Array | undefined;
}

/** The thread's answer: the reading, or what a bug in the reading threw (the request answers 500). */
export type FromThread = { id: number; reading: BatchBodyReading } | { id: number; failure: string };

/**
 * Whether the bytes are the whole of their ArrayBuffer, which can then move to the other thread instead
 * of being copied: a body or a decoded attachment over 4 KB has one to itself; smaller ones share
 * Node's pool.
 */
export function ownsItsMemory(bytes: Uint8Array): boolean {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength;
}
