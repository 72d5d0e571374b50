import { z } from 'zod';
import { emailAddressSchema } from './address';
import { typeError } from './input-errors';

/**
 * A tenant's suppression list: addresses its emails are not sent to, and why. A hard bounce or a
 * rejection of the mailbox (smtp_rejected) expires after SUPPRESSION_BOUNCE_DAYS (the mailbox may be
 * fixed); a complaint and a manual entry stay until someone removes them.
 */
export const SUPPRESSION_REASONS = ['hard_bounce', 'complaint', 'manual', 'smtp_rejected'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

export interface Suppression {
  tenantId: string;
  /** Lower-cased: one entry per mailbox, whatever the case it was written in. */
  address: string;
  reason: SuppressionReason;
  /** The email whose bounce, complaint or rejection put it here. */
  sourceEmailId?: string;
  /** The server's or provider's words, or the note of a manual entry. Never a body or a secret. */
  detail?: string;
  createdAt: string;
  /** Absent: never expires. */
  expiresAt?: string;
}

export const DEFAULT_SUPPRESSION_BOUNCE_DAYS = 30;
const DAY_MS = 24 * 3600 * 1000;
const DETAIL_MAX = 500;

const EXPIRING: ReadonlySet<SuppressionReason> = new Set(['hard_bounce', 'smtp_rejected']);

/** When an entry made at `createdAt` for `reason` stops suppressing; undefined: never. */
export function suppressionExpiry(reason: SuppressionReason, createdAt: string, bounceDays: number): string | undefined {
  if (!EXPIRING.has(reason)) return undefined;
  return new Date(Date.parse(createdAt) + bounceDays * DAY_MS).toISOString();
}

/** Whether the entry suppresses at `now` (ISO strings in UTC compare as strings). */
export function isSuppressionActive(s: Pick<Suppression, 'expiresAt'>, now: string): boolean {
  return s.expiresAt === undefined || s.expiresAt > now;
}

export interface NewSuppression {
  tenantId: string;
  address: string;
  reason: SuppressionReason;
  sourceEmailId?: string;
  detail?: string;
}

/** The entry as stored: address lower-cased, detail bounded, expiry from the reason. */
export function newSuppression(input: NewSuppression, now: string, bounceDays: number): Suppression {
  const detail = input.detail?.trim().slice(0, DETAIL_MAX);
  const expiresAt = suppressionExpiry(input.reason, now, bounceDays);
  return {
    tenantId: input.tenantId,
    address: input.address.trim().toLowerCase(),
    reason: input.reason,
    ...(input.sourceEmailId ? { sourceEmailId: input.sourceEmailId } : {}),
    ...(detail ? { detail } : {}),
    createdAt: now,
    ...(expiresAt ? { expiresAt } : {}),
  };
}

/**
 * What the store keeps when `incoming` meets what it has. An entry that never expires (complaint,
 * manual) is kept as it is: a later bounce must not turn it into one that expires, and the first
 * cause stays visible. An expiring one gives way to anything new (a complaint or manual entry makes
 * it permanent; a new bounce starts its expiry again). An expired entry counts as absent.
 */
export function preferSuppression(existing: Suppression | null, incoming: Suppression, now: string): Suppression {
  if (!existing || !isSuppressionActive(existing, now)) return incoming;
  if (existing.expiresAt === undefined) return existing;
  return incoming;
}

export const suppressionInputSchema = z.strictObject({
  address: emailAddressSchema,
  reason: z.literal('manual', { error: 'only "manual" entries are added by hand' }).default('manual'),
  note: z
    .string({ error: typeError('note', 'note must be a string') })
    .trim()
    .max(DETAIL_MAX, `note is at most ${DETAIL_MAX} characters`)
    .optional(),
});
export type SuppressionInput = z.infer<typeof suppressionInputSchema>;

export const suppressionQuerySchema = z
  .strictObject({
    address: emailAddressSchema.optional(),
    addressPrefix: z
      .string({ error: typeError('addressPrefix', 'addressPrefix must be a string') })
      .trim()
      .toLowerCase()
      .min(1, 'addressPrefix must not be empty')
      .max(254, 'addressPrefix is at most 254 characters')
      .optional(),
    reason: z.enum(SUPPRESSION_REASONS, { error: `reason must be one of ${SUPPRESSION_REASONS.join(', ')}` }).optional(),
    limit: z.coerce
      .number({ error: typeError('limit', 'limit must be a number') })
      .int('limit must be a whole number')
      .min(1, 'limit must be at least 1')
      .max(200, 'limit is at most 200')
      .default(50),
    cursor: z.string().max(500, 'cursor is at most 500 characters').optional(),
  })
  .refine((q) => q.address === undefined || q.addressPrefix === undefined, {
    message: 'give address (exact) or addressPrefix, not both',
    path: ['addressPrefix'],
  });
export type SuppressionQuery = z.infer<typeof suppressionQuerySchema>;

export interface SuppressionPage {
  items: Suppression[];
  nextCursor: string | null;
}
