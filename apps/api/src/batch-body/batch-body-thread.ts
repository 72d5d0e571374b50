import { parentPort, workerData } from 'node:worker_threads';
import { BatchBodyReading, readBatchBody } from '../use-cases/batch-items';
import { FromThread, ownsItsMemory, ToThread } from './batch-body-messages';

/**
 * A batch-body thread (batch-body-reader.ts): reads each body it is given with the same function the
 * event loop would use, and hands the attachments' bytes back by moving their memory, not copying it.
 */
const port = parentPort;
if (!port) throw new Error('batch-body-thread.ts runs as a worker thread (batch-body-reader.ts starts it)');
const { maxAttachmentBytes } = workerData as { maxAttachmentBytes: number };

port.on('message', ({ id, body }: ToThread) => {
  let answer: FromThread;
  try {
    answer = { id, reading: readBatchBody(body, maxAttachmentBytes) };
  } catch (e) {
    answer = { id, failure: String((e as Error)?.stack ?? e) };
  }
  port.postMessage(answer, 'reading' in answer ? movableMemory(answer.reading) : []);
});

/** The attachments' own ArrayBuffers (ownsItsMemory); the small ones sharing Node's pool are copied. */
function movableMemory(reading: BatchBodyReading): ArrayBuffer[] {
  if (reading.kind !== 'items') return [];
  const moved = new Set<ArrayBuffer>();
  for (const item of reading.valid)
    for (const a of item.attachments) if (ownsItsMemory(a.content)) moved.add(a.content.buffer as ArrayBuffer);
  return [...moved];
}
