import { runMain } from '../src/run-main';

/**
 * An app for run-main.test.ts: it starts at once, prints `ready`, and its stop takes STOP_MS (default
 * 300 ms), printing `stop called` each time it is called and `stopped` when done.
 */
const stopMs = Number(process.env.STOP_MS ?? 300);
runMain('run-main-fixture', async () => {
  setInterval(() => undefined, 60_000); // as a server would, it keeps running until it is stopped
  process.stdout.write('ready\n');
  return {
    stop: async () => {
      process.stdout.write('stop called\n');
      await new Promise((r) => setTimeout(r, stopMs));
      if (process.env.STOP_FAILS) throw new Error('the store would not close');
      process.stdout.write('stopped\n');
    },
  };
});
