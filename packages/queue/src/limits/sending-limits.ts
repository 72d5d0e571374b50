import type { SendingLimits } from '@mailroom/domain';

/** A tenant's own sending limits (issue 8 section 2): the domain's type, each one optional, each a positive integer. */
export type { SendingLimits };

export type LimitWindowName = 'minute' | 'hour' | 'day' | (string & {});

/** One sliding window: at most `limit` sends in any `windowMs`. */
export interface LimitWindow {
  name: LimitWindowName;
  windowMs: number;
  limit: number;
}

const WINDOWS: { key: keyof SendingLimits; name: LimitWindowName; windowMs: number }[] = [
  { key: 'perMinute', name: 'minute', windowMs: 60_000 },
  { key: 'perHour', name: 'hour', windowMs: 3_600_000 },
  { key: 'perDay', name: 'day', windowMs: 86_400_000 },
];

/** The windows a tenant's limits ask for; none when it set none. */
export function windowsOf(limits: SendingLimits | undefined): LimitWindow[] {
  const out: LimitWindow[] = [];
  for (const w of WINDOWS) {
    const limit = limits?.[w.key];
    if (limit === undefined) continue;
    if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`limits.${w.key} must be a positive integer, got ${limit}`);
    out.push({ name: w.name, windowMs: w.windowMs, limit });
  }
  return out;
}
