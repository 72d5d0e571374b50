/**
 * The suppression list's search lives in the address (?addressPrefix=client&reason=hard_bounce), like
 * the history's filters: the back button, a reload and a link all show the same list. Pure.
 */
import type { SuppressionFilters, SuppressionReason } from '../api/types';

export interface SuppressionSearch {
  /** The start of the addresses to show (the API's addressPrefix). */
  address: string;
  reason: string;
}

/** Every reason the API knows, in the order a person reads them (the type makes a new one a compile error here). */
const REASON_ORDER: Record<SuppressionReason, number> = { hard_bounce: 0, smtp_rejected: 1, complaint: 2, manual: 3 };
export const SUPPRESSION_REASONS = (Object.keys(REASON_ORDER) as SuppressionReason[]).sort((a, b) => REASON_ORDER[a] - REASON_ORDER[b]);

export function suppressionSearchFrom(search: string): SuppressionSearch {
  const q = new URLSearchParams(search);
  return { address: q.get('address') ?? '', reason: q.get('reason') ?? '' };
}

export function apiSuppressionFilters(s: SuppressionSearch): SuppressionFilters {
  const address = s.address.trim().toLowerCase();
  const reason = SUPPRESSION_REASONS.find((r) => r === s.reason);
  return { ...(address ? { addressPrefix: address } : {}), ...(reason ? { reason } : {}) };
}
