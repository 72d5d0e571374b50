import type { TransportLabels } from '@mailroom/metrics';
import type { OutgoingMessage, Transport } from '@mailroom/transports';

/** Told how long each transport call took, whatever its outcome, by the path it took. */
export interface TransportTimer {
  transportCallTook(labels: TransportLabels, seconds: number): void;
}

/**
 * The transport with its `send` timed: the send duration metric measures the transport call alone,
 * labelled with the path of the settings it was built from (a transport's own kind does not say it:
 * a module may send through another module's kind of transport). `verify` and `close` pass through (and stay absent when absent).
 */
export function timedTransport(transport: Transport, timer: TransportTimer, labels: TransportLabels): Transport {
  return {
    kind: transport.kind,
    async send(message: OutgoingMessage) {
      const started = process.hrtime.bigint();
      try {
        return await transport.send(message);
      } finally {
        timer.transportCallTook(labels, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
    ...(transport.verify ? { verify: () => transport.verify!() } : {}),
    ...(transport.close ? { close: () => transport.close!() } : {}),
  };
}
