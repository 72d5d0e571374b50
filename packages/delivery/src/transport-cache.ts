import type { Transport } from '@mailroom/transports';

/** A transport taken for one send: give it back with `release()` when the send is over, whatever its outcome. */
export interface TransportLease {
  readonly transport: Transport;
  release(): void;
}

interface Entry {
  /** The settings version, or any key that changes when the transport must (domain transportCacheKey). */
  version: number | string;
  transport: Transport;
  /** Sends holding a lease on it right now. */
  inUse: number;
  /** Out of the cache (evicted, replaced, pushed out): closed when the last lease is released. */
  retired: boolean;
  closed: boolean;
}

/**
 * Pooled transports per tenant and settings version, bounded (least recently used goes first). A send
 * holds a lease for its duration: dropping a transport from the cache (a new settings version, the
 * size bound, a permanent failure) takes it out of use at once, so a changed password never sends
 * through the old pool again, but closes it only when the sends in progress or queued on it are done.
 * Closing a pool under them would fail them ("Connection pool was closed") though nothing was wrong.
 */
export class TransportCache {
  private readonly entries = new Map<string, Entry>();
  private readonly retiring = new Set<Entry>();

  constructor(
    private readonly maxSize: number,
    private readonly onClose: (t: Transport) => void = () => undefined,
  ) {}

  /** The tenant's transport for this settings version (created when missing), leased until `release()`. */
  acquire(tenantId: string, version: number | string, create: () => Transport): TransportLease {
    let entry = this.entries.get(tenantId);
    if (entry && entry.version === version) {
      this.entries.delete(tenantId);
      this.entries.set(tenantId, entry);
    } else {
      if (entry) this.retire(tenantId);
      entry = { version, transport: create(), inUse: 0, retired: false, closed: false };
      this.entries.set(tenantId, entry);
      while (this.entries.size > this.maxSize) this.retire(this.entries.keys().next().value as string);
    }
    return this.lease(entry);
  }

  /** Drops a tenant's transport (after an auth failure, say), so the next send builds a fresh one. */
  evict(tenantId: string): void {
    this.retire(tenantId);
  }

  /** Tenants with a transport in the cache. */
  get size(): number {
    return this.entries.size;
  }

  /** Transports out of the cache still finishing their sends. */
  get draining(): number {
    return this.retiring.size;
  }

  /** Closes every transport now, leased or not: for shutdown, once the worker has stopped taking jobs. */
  async closeAll(): Promise<void> {
    const all = [...this.entries.values(), ...this.retiring];
    this.entries.clear();
    this.retiring.clear();
    await Promise.all(all.map((e) => this.close(e)));
  }

  private lease(entry: Entry): TransportLease {
    entry.inUse++;
    let released = false;
    return {
      transport: entry.transport,
      release: () => {
        if (released) return;
        released = true;
        entry.inUse--;
        if (entry.retired && entry.inUse === 0) {
          this.retiring.delete(entry);
          void this.close(entry);
        }
      },
    };
  }

  private retire(tenantId: string): void {
    const entry = this.entries.get(tenantId);
    if (!entry) return;
    this.entries.delete(tenantId);
    entry.retired = true;
    if (entry.inUse === 0) void this.close(entry);
    else this.retiring.add(entry);
  }

  private async close(entry: Entry): Promise<void> {
    if (entry.closed) return;
    entry.closed = true;
    this.onClose(entry.transport);
    await Promise.resolve(entry.transport.close?.()).catch(() => undefined);
  }
}
