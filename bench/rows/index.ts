import type { BenchRowModule } from './bench-row';
import { smtpSendRow } from './smtp-send';
import { endToEndRow } from './end-to-end';
import { enqueueRow } from './enqueue';
import { batchEnqueueRow } from './batch-enqueue';
import { historyRow } from './history';
import { webhookIngestionRow } from './webhook-ingestion';
import { workerMemoryRow } from './worker-memory';
import { fairnessRow } from './fairness';

/** Every row of `pnpm bench`, in the order of the table. A new figure is a module in this folder and one line here. */
export const BENCH_ROWS: readonly BenchRowModule[] = [
  smtpSendRow,
  endToEndRow,
  enqueueRow,
  batchEnqueueRow,
  webhookIngestionRow,
  historyRow,
  workerMemoryRow,
  fairnessRow,
];
