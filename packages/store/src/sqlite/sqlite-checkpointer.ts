import { once } from 'node:events';
import { Worker } from 'node:worker_threads';
import type { StoreLogger } from '../store-logger';

/**
 * What the thread runs: plain JavaScript (no loader needed), with its own connection to the file. Each
 * round first copies the WAL into the database with a PASSIVE checkpoint, which never waits for, nor
 * blocks, a reader or a writer (one already running elsewhere, another process's, makes it a no-op).
 * Under a steady stream of commits that never lets the WAL start over (decision 0052): a PASSIVE
 * checkpoint copies the frames it saw when it began, more are appended meanwhile, and a writer only
 * rewinds the WAL to its beginning when it finds every frame copied. Measured: 730 MB of WAL after 20 s
 * of single enqueues, and growing as long as they came. So once the WAL holds `restartAtFrames`, a
 * RESTART follows, taking the write lock without waiting (busy_timeout 0: a writer holding it turns this
 * try into a PASSIVE one, and the thread tries again 1 ms later, a few times): it copies only what was
 * appended during the PASSIVE copy, so writers wait for it a few ms, and the next commit starts the WAL
 * over, reusing its pages.
 */
const THREAD = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const db = new Database(workerData.filename);
db.pragma('wal_autocheckpoint = 0');
db.pragma('busy_timeout = 0');
const passive = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
const restart = db.prepare('PRAGMA wal_checkpoint(RESTART)');
const pause = new Int32Array(new SharedArrayBuffer(4));
function checkpoint() {
  const copied = passive.get();
  if (copied.busy !== 0 || copied.log < workerData.restartAtFrames) return;
  for (let i = 0; i < workerData.restartTries; i++) {
    const all = restart.get();
    if (all.log === all.checkpointed) return;
    Atomics.wait(pause, 0, 0, 1);
  }
}
const timer = setInterval(() => {
  try {
    checkpoint();
  } catch (e) {
    parentPort.postMessage(String((e && e.message) || e));
  }
}, workerData.everyMs);
parentPort.on('message', (m) => {
  if (m !== 'close') return;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

/** Tries for the RESTART's write lock in one round, 1 ms apart; the next round tries again. */
const RESTART_TRIES = 20;
/**
 * The WAL's frames (pages: 40 MB of 4 KB pages) past which a round takes the write lock to let it start
 * over: the size at which the store's own automatic checkpoint would run (sqlite-store.ts), so a light
 * load never waits for the lock and a month-end run's WAL stays within tens of MB.
 */
const WAL_RESTART_FRAMES = 10_000;

/**
 * WAL checkpoints off the event loop (decision 0045). With SQLite's automatic checkpoint, the commit
 * that took the WAL past `wal_autocheckpoint` pages (10,000: 40 MB) copied them all into the database
 * and synced it, inside that commit, on the process's only thread: 115-220 ms during which the API
 * answered nobody, every few seconds under a steady enqueue rate, which was the whole of the single
 * enqueue's p99. This connection's automatic checkpoint is turned off and a thread with its own
 * connection checkpoints every `everyMs`, and lets the WAL start over while commits keep coming once it
 * holds `restartAtFrames` (decision 0052). If the thread fails, `onFailure` runs (the store turns the
 * automatic checkpoint back on: the WAL never grows without bound).
 */
export class SqliteCheckpointer {
  private readonly worker: Worker;
  private closed = false;

  constructor(filename: string, logger: StoreLogger, onFailure: () => void, everyMs = 250, restartAtFrames = WAL_RESTART_FRAMES) {
    this.worker = new Worker(THREAD, {
      eval: true,
      workerData: { filename, everyMs, restartAtFrames, restartTries: RESTART_TRIES, driver: require.resolve('better-sqlite3') },
    });
    this.worker.unref();
    this.worker.on('message', (message: string) =>
      logger.warn({ store: 'sqlite', file: filename, error: message }, 'WAL checkpoint failed; the next one tries again'),
    );
    const failed = (reason: string) => {
      if (this.closed) return;
      this.closed = true;
      logger.error({ store: 'sqlite', file: filename, error: reason }, 'the WAL checkpoint thread stopped; commits checkpoint again');
      onFailure();
    };
    this.worker.on('error', (e) => failed(e.message));
    this.worker.on('exit', (code) => failed(`exited with ${code}`));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const exited = once(this.worker, 'exit');
    // Unref'd so it never keeps a process alive; while closing it must, or a process with nothing else
    // left to do exits before the thread does and `close()` never returns (a command's exit code lost).
    this.worker.ref();
    this.worker.postMessage('close');
    await exited;
  }
}
