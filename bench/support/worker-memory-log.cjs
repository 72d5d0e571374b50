/**
 * Preloaded (NODE_OPTIONS="--require bench/support/worker-memory-log.cjs") into every process of a bench
 * run, it acts in the worker only: every 500 ms it appends the worker's memory split to
 * WORKER_MEMORY_LOG (default /tmp/worker-memory.jsonl): RSS (anonymous, file, shared), the V8 heap (total,
 * used, each space), external and array buffers, and the active handles. Decision 0041.
 */
if (process.argv.some((a) => a.includes('apps/worker/src/main'))) {
  const fs = require('node:fs');
  const v8 = require('node:v8');
  const file = process.env.WORKER_MEMORY_LOG ?? '/tmp/worker-memory.jsonl';
  const MB = (bytes) => Math.round(bytes / 1048576);
  const statusMb = (status, field) => Math.round(Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0) / 1024);
  const t0 = Date.now();
  setInterval(() => {
    const m = process.memoryUsage();
    const status = fs.readFileSync('/proc/self/status', 'utf8');
    const spaces = Object.fromEntries(v8.getHeapSpaceStatistics().map((s) => [s.space_name, MB(s.space_size)]));
    const line = {
      t: Date.now() - t0,
      rss: MB(m.rss),
      anon: statusMb(status, 'RssAnon'),
      file: statusMb(status, 'RssFile'),
      shmem: statusMb(status, 'RssShmem'),
      heapTotal: MB(m.heapTotal),
      heapUsed: MB(m.heapUsed),
      external: MB(m.external),
      arrayBuffers: MB(m.arrayBuffers),
      spaces,
      handles: process._getActiveHandles().length,
    };
    fs.appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 500).unref();
}
