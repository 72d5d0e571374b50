import type { Registry } from 'prom-client';
import type { Logger } from 'pino';
import { DEFAULT_COLLECT_TIMEOUT_MS, onePerScrape, registerCollectedGauge } from './collected-gauge';

/** The totals the tenant lanes report (`TenantLanes.stats()` of @mailroom/queue): no tenant in them. */
export interface LaneTotals {
  admitted: number;
  backlog: number;
  tenantsWithBacklog: number;
}

/**
 * The tenant lanes (decision 0026), read from Redis when Prometheus scrapes: how many emails wait in
 * tenants' backlogs, how many tenants have one, and how many emails hold a slot. Totals only: a tenant
 * id is never a label. Absent for a scrape when Redis does not answer within `timeoutMs`.
 */
export function watchTenantLanes(
  registry: Registry,
  lanes: { stats(): Promise<LaneTotals> },
  options: { timeoutMs?: number; logger?: Logger } = {},
): void {
  const totals = onePerScrape(() => lanes.stats());
  const gauge = (name: string, help: string, value: (t: LaneTotals) => number) =>
    registerCollectedGauge(registry, {
      name,
      help,
      labelNames: ['queue'],
      timeoutMs: options.timeoutMs ?? DEFAULT_COLLECT_TIMEOUT_MS,
      logger: options.logger,
      read: async () => [{ labels: { queue: 'send' }, value: value(await totals()) }],
    });
  gauge(
    'mailroom_tenant_backlog_emails',
    "Emails waiting in tenants' backlogs for a slot (TENANT_MAX_IN_FLIGHT per tenant), summed over tenants; they are queued and have no job yet.",
    (t) => t.backlog,
  );
  gauge(
    'mailroom_tenants_with_backlog',
    'Tenants whose emails wait in a backlog because all their slots are taken.',
    (t) => t.tenantsWithBacklog,
  );
  gauge(
    'mailroom_tenant_admitted_emails',
    'Emails holding a tenant slot: their jobs wait, run or wait for a retry in the send queue, summed over tenants.',
    (t) => t.admitted,
  );
}
