import type { BatchBodyReading } from '../use-cases/batch-items';

/** A body for a batch-body thread to read; `undefined` when the request had no JSON body. */
export interface ToThread {
  id: number;
  body: Uint8Array | undefined;
}

/** The thread's answer: the reading, or what a bug in the reading threw (the request answers 500). */
export type FromThread = { id: number; reading: BatchBodyReading } | { id: number; failure: string };
