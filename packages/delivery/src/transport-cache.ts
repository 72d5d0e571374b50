import type { Transport } from '@mailroom/transports';

/**
 * Pooled transports per tenant and settings version, bounded (least recently used goes first).
 * A new settings version replaces and closes the tenant's old transport at once, so a changed
 * password never keeps sending through the old pool.
 */
export class TransportCache {
  private readonly entries = new Map<string, { version: number; transport: Transport }>();

  constructor(
    private readonly maxSize: number,
    private readonly onClose: (t: Transport) => void = () => undefined,
  ) {}

  get(tenantId: string, version: number, create: () => Transport): Transport {
    const hit = this.entries.get(tenantId);
    if (hit && hit.version === version) {
      this.entries.delete(tenantId);
      this.entries.set(tenantId, hit);
      return hit.transport;
    }
    if (hit) this.close(tenantId);
    const transport = create();
    this.entries.set(tenantId, { version, transport });
    while (this.entries.size > this.maxSize) this.close(this.entries.keys().next().value as string);
    return transport;
  }

  /** Drops a tenant's transport (after an auth failure, say), so the next send builds a fresh one. */
  evict(tenantId: string): void {
    this.close(tenantId);
  }

  get size(): number {
    return this.entries.size;
  }

  async closeAll(): Promise<void> {
    for (const id of [...this.entries.keys()]) this.close(id);
  }

  private close(tenantId: string): void {
    const e = this.entries.get(tenantId);
    if (!e) return;
    this.entries.delete(tenantId);
    this.onClose(e.transport);
    void Promise.resolve(e.transport.close?.()).catch(() => undefined);
  }
}
