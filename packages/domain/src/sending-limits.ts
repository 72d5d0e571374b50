import { z } from 'zod';
import { typeError } from './input-errors';

/**
 * A tenant's own sending limits (issue 8 section 2, decision 0030): at most so many sends in any
 * last minute, hour or day, counted in Redis by every worker (packages/queue limits). Each is
 * optional; a send costs one per recipient (what mailbox providers count; never less than messages).
 */
export interface SendingLimits {
  perMinute?: number;
  perHour?: number;
  perDay?: number;
}

export const SENDING_LIMIT_FIELDS = ['perMinute', 'perHour', 'perDay'] as const;
export type SendingLimitField = (typeof SENDING_LIMIT_FIELDS)[number];

/**
 * The published limits of the server a preset sends through: the defaults a tenant gets without
 * setting any, and the most it may raise them to. A window without a `maximum` may be raised freely
 * (a window the preset does not name at all is the tenant's to set).
 */
export interface PresetLimits {
  /** For people: `Gmail`. */
  label: string;
  defaults: SendingLimits;
  maximum: SendingLimits;
  /** Where the figures come from (the provider's own pages). */
  sources: readonly string[];
  /** What the figures assume (`a paid Google Workspace account may raise perDay to 2,000`). */
  note?: string;
}

const limitField = (field: SendingLimitField) =>
  z
    .number({ error: typeError(`limits.${field}`, `limits.${field} must be a number`) })
    .int(`limits.${field} must be a whole number`)
    .min(1, `limits.${field} must be at least 1`)
    .max(10_000_000, `limits.${field} must be at most 10000000`)
    .optional();

/** The `limits` of a settings PUT: each window optional, a positive whole number. */
export const sendingLimitsSchema = z.strictObject(
  { perMinute: limitField('perMinute'), perHour: limitField('perHour'), perDay: limitField('perDay') },
  { error: typeError('limits', 'limits must be an object such as { "perMinute": 30, "perDay": 2000 }') },
);

export type LimitSource = 'preset' | 'tenant';

/** The limits a send is counted against, and where each one comes from. */
export interface EffectiveLimits {
  limits: SendingLimits;
  from: Partial<Record<SendingLimitField, LimitSource>>;
}

/** The tenant's own figure where it set one, else the preset's default. */
export function effectiveSendingLimits(own: SendingLimits | undefined, preset: PresetLimits | undefined): EffectiveLimits {
  const out: EffectiveLimits = { limits: {}, from: {} };
  for (const f of SENDING_LIMIT_FIELDS) {
    const mine = own?.[f];
    const theirs = preset?.defaults[f];
    if (mine !== undefined) {
      out.limits[f] = mine;
      out.from[f] = 'tenant';
    } else if (theirs !== undefined) {
      out.limits[f] = theirs;
      out.from[f] = 'preset';
    }
  }
  return out;
}

/** The tenant's figures above what the preset allows: `[{ field: 'perDay', maximum: 2000 }]`; empty when all fit. */
export function limitsOverPreset(
  own: SendingLimits | undefined,
  preset: PresetLimits | undefined,
): { field: SendingLimitField; maximum: number }[] {
  const over: { field: SendingLimitField; maximum: number }[] = [];
  for (const f of SENDING_LIMIT_FIELDS) {
    const max = preset?.maximum[f];
    const mine = own?.[f];
    if (max !== undefined && mine !== undefined && mine > max) over.push({ field: f, maximum: max });
  }
  return over;
}

/**
 * The tenant's figures as far as a new preset allows (a mailbox connected with OAuth2 changes the
 * preset without a PUT): each one lowered to the preset's maximum. Undefined when nothing is left.
 */
export function withinPreset(own: SendingLimits | undefined, preset: PresetLimits | undefined): SendingLimits | undefined {
  if (!own) return undefined;
  const out: SendingLimits = {};
  for (const f of SENDING_LIMIT_FIELDS) {
    const mine = own[f];
    if (mine === undefined) continue;
    const max = preset?.maximum[f];
    out[f] = max !== undefined ? Math.min(mine, max) : mine;
  }
  return Object.keys(out).length ? out : undefined;
}

/** `5 per minute` for people (logs, the history's reason). */
export function describeLimit(field: SendingLimitField, limit: number): string {
  return `${limit} per ${field.slice(3).toLowerCase()}`;
}
