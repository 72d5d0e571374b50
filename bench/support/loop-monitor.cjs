/**
 * A diagnostic preload for a server process under load (`node --require bench/support/loop-monitor.cjs`):
 * with LOOP_MONITOR_FILE set, records every GC pause (perf_hooks 'gc' entries) and every gap of the
 * event loop over LOOP_MONITOR_GAP_MS (a 1 ms interval timer that ran late), each with its wall-clock
 * start in ms (performance.timeOrigin + startTime, comparable across processes of one machine), and
 * writes them as JSON to that file when the process exits. bench/support/enqueue-tail-probe.ts reads it.
 */
const { PerformanceObserver, performance, constants } = require('node:perf_hooks');
const fs = require('node:fs');

const file = process.env.LOOP_MONITOR_FILE;
if (file) {
  const gapMs = Number(process.env.LOOP_MONITOR_GAP_MS || 5);
  const kinds = {
    [constants.NODE_PERFORMANCE_GC_MINOR]: 'minor',
    [constants.NODE_PERFORMANCE_GC_MAJOR]: 'major',
    [constants.NODE_PERFORMANCE_GC_INCREMENTAL]: 'incremental',
    [constants.NODE_PERFORMANCE_GC_WEAKCB]: 'weakcb',
  };
  const gcs = [];
  const gaps = [];
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      gcs.push({ at: performance.timeOrigin + e.startTime, ms: e.duration, kind: kinds[e.detail?.kind] ?? String(e.detail?.kind) });
  }).observe({ entryTypes: ['gc'] });
  // The main thread's time on a CPU (Linux: /proc/thread-self/schedstat, ns): a gap the thread spent
  // running is work on the event loop; one it did not is time off the CPU (another thread or process
  // had it, or a blocking system call).
  let schedFd = null;
  try {
    schedFd = fs.openSync('/proc/thread-self/schedstat', 'r');
  } catch {
    /* not Linux */
  }
  const buf = Buffer.alloc(128);
  const onCpuMs = () => {
    if (schedFd === null) return NaN;
    const n = fs.readSync(schedFd, buf, 0, buf.length, 0);
    return Number(buf.toString('latin1', 0, n).split(' ')[0]) / 1e6;
  };
  let last = performance.now();
  let lastCpu = onCpuMs();
  setInterval(() => {
    const now = performance.now();
    const cpu = onCpuMs();
    if (now - last > gapMs) gaps.push({ at: performance.timeOrigin + last, ms: now - last, cpuMs: cpu - lastCpu });
    last = now;
    lastCpu = cpu;
  }, 1).unref();
  process.on('exit', () => fs.writeFileSync(file, JSON.stringify({ pid: process.pid, gcs, gaps })));
}
