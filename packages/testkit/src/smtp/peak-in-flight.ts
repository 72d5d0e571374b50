import type { SinkMessage } from './smtp-sink-types';

/** The most messages whose DATA overlapped in time (a message counts from its DATA until the sink's answer). */
export function peakInFlight(messages: readonly SinkMessage[]): number {
  const edges = messages.flatMap((m) => [
    { at: m.dataStartedAt.getTime(), step: 1 },
    { at: m.receivedAt.getTime(), step: -1 },
  ]);
  // An answer and a new DATA in the same millisecond: the answer first (that slot was handed over).
  edges.sort((a, b) => a.at - b.at || a.step - b.step);
  let now = 0;
  let peak = 0;
  for (const e of edges) peak = Math.max(peak, (now += e.step));
  return peak;
}
