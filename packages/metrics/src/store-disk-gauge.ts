import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { registerCollectedGauge } from './collected-gauge';

/** A store's files on this machine (`Store.diskUsage()` of @mailroom/store), in bytes. */
export interface StoreDiskBytes {
  database: number;
  wal: number;
  content: number;
}

/**
 * The SQLite store's files, read when Prometheus scrapes: the database, its WAL (bounded by the
 * checkpoints, decision 0052: a large one means they fall behind, or a reader holds an old snapshot)
 * and the attachments' segments beside it. One machine's disk holds them all; a store with no files of
 * its own (MongoDB) has no such gauge.
 */
export function watchStoreDisk(
  registry: Registry,
  store: { diskUsage(): Promise<StoreDiskBytes> },
  options: { timeoutMs?: number; logger?: Logger } = {},
): void {
  registerCollectedGauge(registry, {
    ...options,
    name: 'mailroom_store_bytes',
    help: "Bytes of the SQLite store's files on this machine's disk: file = database, wal (its write-ahead log), content (attachments).",
    labelNames: ['file'],
    read: async () => {
      const usage = await store.diskUsage();
      return (['database', 'wal', 'content'] as const).map((file) => ({ labels: { file }, value: usage[file] }));
    },
  });
}
