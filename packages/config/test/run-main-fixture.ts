import { runMain } from '../src/run-main';

/**
 * An app for run-main.test.ts: it starts at once, prints `ready` once runMain holds it (a timer after
 * the start resolved), and its stop takes STOP_MS (default 300 ms), printing `stop called` each time it
 * is called and `stopped` when done. It prints `starting` first, and takes START_MS to start.
 */
const stopMs = Number(process.env.STOP_MS ?? 300);
runMain('run-main-fixture', async () => {
  setInterval(() => undefined, 60_000); // as a server would, it keeps running until it is stopped
  process.stdout.write('starting\n');
  // START_MS: a start that takes this long (waiting on Redis or the store, say).
  await new Promise((r) => setTimeout(r, Number(process.env.START_MS ?? 0)));
  setTimeout(() => process.stdout.write('ready\n'), 50);
  return {
    stop: async () => {
      process.stdout.write('stop called\n');
      await new Promise((r) => setTimeout(r, stopMs));
      if (process.env.STOP_FAILS) throw new Error('the store would not close');
      process.stdout.write('stopped\n');
    },
  };
});
