/**
 * How a 30 KB append's cost changes as dirty page cache builds up (decision 0072): appends 8 chunks of
 * 8,000 writes of 30 KB (about 2 GB in all) to a new file, and prints µs per write for each chunk.
 *   npx tsx bench/support/page-cache-appends.ts [dir=os.tmpdir()]
 * Watch `grep Dirty /proc/meminfo` beside it; `sync` first, and after, to start and leave it clean.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CHUNKS = 8;
const WRITES = 8000;
const bytes = randomBytes(30 * 1024);
const file = path.join(process.argv[2] ?? os.tmpdir(), `page-cache-appends-${process.pid}`);
const fd = fs.openSync(file, 'w');
try {
  let offset = 0;
  for (let chunk = 0; chunk < CHUNKS; chunk++) {
    const started = process.hrtime.bigint();
    for (let i = 0; i < WRITES; i++) {
      fs.writeSync(fd, bytes, 0, bytes.length, offset);
      offset += bytes.length;
    }
    const us = Number(process.hrtime.bigint() - started) / WRITES / 1000;
    console.log(`${(offset / 1e6).toFixed(0)} MB written: ${us.toFixed(1)} µs per 30 KB write`);
  }
} finally {
  fs.closeSync(fd);
  fs.unlinkSync(file);
}
