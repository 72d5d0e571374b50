import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

/** The kernel's dirty page cache, in bytes (Linux; 0 where /proc/meminfo is not there). */
function dirtyBytes(): number {
  try {
    const kb = /^Dirty:\s+(\d+) kB$/m.exec(fs.readFileSync('/proc/meminfo', 'utf8'))?.[1];
    return kb ? Number(kb) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Writes the machine's dirty pages back (`sync`) before a row, so every row starts from the same
 * page-cache state: what earlier rows, an install or a test run left unwritten does not slow this row's
 * writes. On these VMs a 30 KB append costs 14-20 µs with little dirty data and 78-110 µs past about
 * 1.3 GB of it, and the single enqueue read 0.42-0.43 of bare Express with 1.4 GB dirty at its start
 * against 0.51-0.52 clean, in alternating runs (decision 0072). A row's own writes stay in its figures.
 */
export function writeBackDirtyPages(): { bytes: number; ms: number } {
  const bytes = dirtyBytes();
  const started = performance.now();
  spawnSync('sync', { stdio: 'ignore' });
  return { bytes, ms: performance.now() - started };
}
