/**
 * Two ways to load an HTTP server from the bench process, each reporting throughput, latency
 * quantiles and the server process's CPU per request (from /proc: what the machine's load does not blur).
 *
 * - `closedLoop`: `width` clients, each sending its next request as soon as its last one is answered.
 *   It measures capacity; its latency is not a property of the server alone: with `width` requests
 *   always in flight, Little's law makes the mean latency width / throughput.
 * - `openLoop`: requests offered at a fixed rate, whatever the answers do (as a month-end run's
 *   clients send), each one's latency measured from the time it was *scheduled* to go, not from when it
 *   went: a client held up by a slow answer does not hide the wait (no coordinated omission). At most
 *   `maxInFlight` are in flight; a request due while all are busy waits, and that wait is counted.
 */
import { quantile } from './measure';
import { cpuMsOf } from './process-cpu';

/** One request; resolves when the answer is read, rejects when it is not the expected one. */
export type Send = (i: number) => Promise<void>;

export interface LoadFigures {
  /** Requests answered per second over the whole window. */
  perSecond: number;
  p50: number;
  p99: number;
  max: number;
  /** The server process's CPU (user + system) per request over the window, in ms. */
  cpuMs: number;
}

function figures(latencies: number[], ms: number, cpuMs: number): LoadFigures {
  return {
    perSecond: (latencies.length / ms) * 1000,
    p50: quantile(latencies, 0.5),
    p99: quantile(latencies, 0.99),
    max: Math.max(...latencies),
    cpuMs: cpuMs / latencies.length,
  };
}

/** `n` requests, `width` in flight at all times (each client sends again as soon as it is answered). */
export async function closedLoop(serverPid: number, n: number, width: number, send: Send): Promise<LoadFigures> {
  const latencies: number[] = [];
  let next = 0;
  const cpu = cpuMsOf(serverPid);
  const start = performance.now();
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) {
        const i = next++;
        const t = performance.now();
        await send(i);
        latencies.push(performance.now() - t);
      }
    }),
  );
  return figures(latencies, performance.now() - start, cpuMsOf(serverPid) - cpu);
}

/**
 * `n` requests offered at `perSecond`, request i scheduled at start + i / perSecond; latency from
 * that scheduled time to the answer. The sender sleeps until the next one is due (a timer's lateness
 * is counted in the latency too: it is the client's, and both sides of a comparison pay it alike).
 */
export async function openLoop(
  serverPid: number,
  n: number,
  perSecond: number,
  maxInFlight: number,
  send: Send,
  /** Each answered request's scheduled time and answer time (performance.now()), for diagnostics. */
  onSample?: (i: number, due: number, answered: number) => void,
): Promise<LoadFigures> {
  const latencies: number[] = [];
  let free = maxInFlight;
  const waiting: (() => void)[] = [];
  const slot = () => (free > 0 ? (free--, Promise.resolve()) : new Promise<void>((resolve) => waiting.push(resolve)));
  const release = () => {
    const w = waiting.shift();
    if (w) w();
    else free++;
  };
  let failure: unknown;
  const one = async (i: number, due: number) => {
    await slot();
    try {
      await send(i);
      const answered = performance.now();
      latencies.push(answered - due);
      onSample?.(i, due, answered);
    } catch (e) {
      failure ??= e;
    } finally {
      release();
    }
  };
  const cpu = cpuMsOf(serverPid);
  const start = performance.now();
  const sends: Promise<void>[] = [];
  for (let i = 0; i < n; i++) {
    const due = start + (i * 1000) / perSecond;
    const early = due - performance.now();
    if (early > 0) await new Promise((resolve) => setTimeout(resolve, early));
    if (failure !== undefined) break;
    sends.push(one(i, due));
  }
  await Promise.all(sends);
  if (failure !== undefined) throw failure;
  return figures(latencies, performance.now() - start, cpuMsOf(serverPid) - cpu);
}
