import { TransportCache, TransportLease } from '@mailroom/delivery';
import type { OutgoingMessage, Transport } from '@mailroom/transports';

/** Told how long each transport call took, whatever its outcome. */
export interface TransportTimer {
  transportCallTook(kind: Transport['kind'], seconds: number): void;
}

/** The transport with its `send` timed; `verify` and `close` pass through (and stay absent when absent). */
function timed(transport: Transport, timer: TransportTimer): Transport {
  return {
    kind: transport.kind,
    async send(message: OutgoingMessage) {
      const started = process.hrtime.bigint();
      try {
        return await transport.send(message);
      } finally {
        timer.transportCallTook(transport.kind, Number(process.hrtime.bigint() - started) / 1e9);
      }
    },
    ...(transport.verify ? { verify: () => transport.verify!() } : {}),
    ...(transport.close ? { close: () => transport.close!() } : {}),
  };
}

/** The worker's transport cache, every transport it creates timed: the send duration metric measures the transport call alone. */
export class TimedTransportCache extends TransportCache {
  constructor(
    maxSize: number,
    private readonly timer: TransportTimer,
  ) {
    super(maxSize);
  }

  override acquire(tenantId: string, version: number | string, create: () => Transport): TransportLease {
    return super.acquire(tenantId, version, () => timed(create(), this.timer));
  }
}
