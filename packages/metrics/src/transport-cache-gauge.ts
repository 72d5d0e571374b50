import { Gauge, Registry } from 'prom-client';

/** The worker's pooled transports (one per tenant and settings version), read on scrape. */
export function watchTransportCache(registry: Registry, cache: { readonly size: number }): void {
  new Gauge({
    name: 'mailroom_transport_cache_size',
    help: 'Transports (connection pools, API clients) the worker keeps, one per tenant and settings version, bounded by TRANSPORT_CACHE_SIZE.',
    registers: [registry],
    collect() {
      this.set(cache.size);
    },
  });
}
