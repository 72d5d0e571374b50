/**
 * The history's filters live in the address (?status=failed&since=2026-01-01), so the back button,
 * a reload and a link from the platform all show the same list. Pure: unit-tested.
 */
import type { HistoryFilters } from '../api/types';

export interface FilterForm {
  documentType: string;
  documentId: string;
  recipient: string;
  status: string;
  /** yyyy-mm-dd, the user's own days. */
  since: string;
  until: string;
}

export const FILTER_KEYS: readonly (keyof FilterForm)[] = ['documentType', 'documentId', 'recipient', 'status', 'since', 'until'];

export function filtersFromSearch(search: string): FilterForm {
  const q = new URLSearchParams(search);
  const out = {} as FilterForm;
  for (const k of FILTER_KEYS) out[k] = q.get(k) ?? '';
  return out;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A local day's start as the API's ISO instant; `until` takes the next day's start (the API's until is exclusive). */
export function dayStart(day: string, plusDays = 0): string | undefined {
  if (!DAY.test(day)) return undefined;
  const [y, m, d] = day.split('-').map(Number);
  const date = new Date(y, m - 1, d + plusDays);
  return Number.isNaN(date.getTime()) ? undefined : date.toISOString();
}

export function apiFilters(f: FilterForm): HistoryFilters {
  const trimmed = (s: string) => s.trim() || undefined;
  return {
    documentType: trimmed(f.documentType),
    documentId: trimmed(f.documentId),
    recipient: trimmed(f.recipient),
    status: trimmed(f.status),
    since: dayStart(f.since),
    until: dayStart(f.until, 1),
  };
}
