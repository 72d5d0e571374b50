import type { OutgoingMessage, SendResult, Transport } from '@mailroom/transports';

/**
 * The platform's relay, one pooled connection set per worker, shared by every platform tenant
 * (decision 0017): each tenant's cache entry gets this same instance. Its `close()` is what the cache
 * calls when it drops a tenant's entry, and does nothing: the pool belongs to the worker, not to a
 * tenant. `shutdown()` closes the pool, when the worker stops. It carries no tenant state: a message
 * says whose it is, and the relay's credentials are the platform's own.
 */
export class SharedPlatformTransport implements Transport {
  readonly kind = 'platform' as const;

  constructor(private readonly relay: Transport) {}

  send(message: OutgoingMessage): Promise<SendResult> {
    return this.relay.send(message);
  }

  async verify(): Promise<void> {
    await this.relay.verify?.();
  }

  /** A tenant's entry is closing: the shared pool stays open for the others. */
  close(): void {}

  /** Closes the relay's pool: the worker is stopping. */
  async shutdown(): Promise<void> {
    await this.relay.close?.();
  }
}
