/**
 * Preloaded (NODE_OPTIONS="--require bench/support/worker-promoted-sample.cjs") into every process of a
 * bench run, it acts in the worker only: V8's sampling heap profiler, keeping what survived young GCs
 * (live, or collected since by a full GC) and dropping what died young, so the profile says what was
 * promoted to the old generation and by whom. `kill -USR2 <worker pid>` writes it to
 * WORKER_PROMOTED_PROFILE (default /tmp/worker-promoted.heapprofile; open it in Chrome DevTools, or sum
 * `selfSize` per stack). A heap snapshot cannot show this: it collects the garbage first. Decision 0041.
 */
if (process.argv.some((a) => a.includes('apps/worker/src/main'))) {
  const inspector = require('node:inspector');
  const fs = require('node:fs');
  const session = new inspector.Session();
  session.connect();
  session.post('HeapProfiler.enable');
  session.post('HeapProfiler.startSampling', {
    samplingInterval: 16384,
    includeObjectsCollectedByMajorGC: true,
    includeObjectsCollectedByMinorGC: false,
  });
  process.on('SIGUSR2', () =>
    session.post('HeapProfiler.stopSampling', (err, result) => {
      if (!err) fs.writeFileSync(process.env.WORKER_PROMOTED_PROFILE ?? '/tmp/worker-promoted.heapprofile', JSON.stringify(result.profile));
    }),
  );
}
