import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { BatchBodyReading, readBatchBody } from '../use-cases/batch-items';
import { HttpError } from '../http/http-error';
import { FromThread, ownsItsMemory, ToThread } from './batch-body-messages';

/** Reads batch bodies (readBatchBody): on threads of its own, or on the event loop. */
export interface BatchBodyReader {
  read(body: Uint8Array | undefined): Promise<BatchBodyReading>;
  close(): Promise<void>;
}

/**
 * BATCH_READ_THREADS threads, or the event loop when it is 0 (decision 0050). A batch of 100 invoices
 * is 4 MB of JSON: parsing it, validating each item, decoding and hashing its attachments took about
 * 40 % of the API's CPU per email, on the one thread that also answers every other request.
 */
export function createBatchBodyReader(options: {
  threads: number;
  maxAttachmentBytes: number;
  logger: Logger;
  /** What each thread runs: batch-body-thread.ts; tests give their own. */
  entry?: string;
}): BatchBodyReader {
  const inline = (body: Uint8Array | undefined) => readBatchBody(body, options.maxAttachmentBytes);
  if (options.threads === 0) return { read: async (body) => inline(body), close: async () => undefined };
  const ext = path.extname(__filename);
  const entry = options.entry ?? path.join(__dirname, `batch-body-thread${ext}`);
  const workerData = {
    entry,
    loader: entry.endsWith('.ts') ? require.resolve('tsx/cjs/api') : undefined,
    maxAttachmentBytes: options.maxAttachmentBytes,
  };
  return new ThreadedBatchBodyReader(options.threads, workerData, options.logger, inline);
}

/**
 * What each thread runs: tsx's loader where the app runs from its TypeScript (as `node --import tsx`
 * does; a thread does not inherit a loader registered by `--import`), then the thread's module.
 */
const BOOT = `
const { workerData } = require('node:worker_threads');
if (workerData.loader) require(workerData.loader).register();
require(workerData.entry);
`;

interface Pending {
  /** The body, while this thread still holds it: one whose memory moved to the thread is not here. */
  body: Uint8Array | undefined;
  moved: boolean;
  resolve(reading: BatchBodyReading): void;
  reject(e: Error): void;
}

interface Thread {
  worker: Worker;
  pending: Map<number, Pending>;
  alive: boolean;
  /** It has answered once: it started. Until then bodies are copied to it, so none is lost if it cannot start. */
  proven: boolean;
}

/**
 * Each body goes to the thread with the fewest waiting, its memory moved there, not copied (copying
 * 4 MB each way cost more than the thread saved on two cores), once the thread has answered once; the
 * attachments' bytes come back moved. A thread that fails (it could not start, or died) is logged and
 * dropped, the bodies it was copied are read here, and once no thread is left every body is. A body
 * that had moved to a thread that died is gone with it: that request answers 503 `batch_not_read`
 * before anything is stored, and the platform posts it again (its keys make that safe). The threads
 * start with the first batch: an API that is never sent one pays nothing for them.
 */
class ThreadedBatchBodyReader implements BatchBodyReader {
  private readonly threads: Thread[] = [];
  private nextId = 0;
  private started = false;
  private closed = false;

  constructor(
    private readonly count: number,
    private readonly workerData: object,
    private readonly logger: Logger,
    private readonly inline: (body: Uint8Array | undefined) => BatchBodyReading,
  ) {}

  read(body: Uint8Array | undefined): Promise<BatchBodyReading> {
    if (!this.started && !this.closed) {
      this.started = true;
      for (let i = 0; i < this.count; i++) this.threads.push(this.start());
    }
    const thread = this.threads.filter((t) => t.alive).sort((a, b) => a.pending.size - b.pending.size)[0];
    if (!thread) return Promise.resolve().then(() => this.inline(body));
    const id = this.nextId++;
    // A body that owns its memory (any over 4 KB) moves to a thread that has started; otherwise it is copied.
    const moved = thread.proven && body !== undefined && ownsItsMemory(body);
    return new Promise((resolve, reject) => {
      thread.pending.set(id, { body: moved ? undefined : body, moved, resolve, reject });
      thread.worker.postMessage({ id, body } satisfies ToThread, moved ? [body.buffer as ArrayBuffer] : []);
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((t) => t.worker.terminate()));
  }

  private start(): Thread {
    const worker = new Worker(BOOT, { eval: true, workerData: this.workerData });
    const thread: Thread = { worker, pending: new Map(), alive: true, proven: false };
    // Never what keeps the process alive: a request waiting on it holds its socket open anyway.
    worker.unref();
    worker.on('message', (answer: FromThread) => {
      thread.proven = true;
      const waiting = thread.pending.get(answer.id);
      if (!waiting) return;
      thread.pending.delete(answer.id);
      if ('failure' in answer) waiting.reject(new Error(`reading the batch body failed: ${answer.failure}`));
      else waiting.resolve(withBuffers(answer.reading));
    });
    const failed = (reason: string) => {
      if (!thread.alive) return;
      thread.alive = false;
      if (this.closed) return;
      this.logger.error(
        { reason, left: this.threads.filter((t) => t.alive).length },
        'a batch-body thread failed; its bodies are read on the event loop',
      );
      for (const waiting of thread.pending.values()) {
        if (waiting.moved) {
          waiting.reject(
            new HttpError(
              503,
              'batch_not_read',
              'the batch could not be read (its reading thread stopped); nothing was stored: post it again',
            ),
          );
          continue;
        }
        try {
          waiting.resolve(this.inline(waiting.body));
        } catch (e) {
          waiting.reject(e as Error);
        }
      }
      thread.pending.clear();
    };
    worker.on('error', (e) => failed(e.message));
    worker.on('exit', (code) => failed(`exited with ${code}`));
    return thread;
  }
}

/** The attachments arrive as Uint8Arrays (a thread's messages carry no Buffers): the same memory, as Buffers again. */
function withBuffers(reading: BatchBodyReading): BatchBodyReading {
  if (reading.kind !== 'items') return reading;
  for (const item of reading.valid)
    for (const a of item.attachments) a.content = Buffer.from(a.content.buffer, a.content.byteOffset, a.content.byteLength);
  return reading;
}
