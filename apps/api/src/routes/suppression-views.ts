import { Suppression, SUPPRESSION_REASONS, SuppressionPage } from '@mailroom/domain';
import { z } from 'zod';
import { isoTime } from '../openapi/answer-fields';

/** One entry of a tenant's suppression list, as the suppressions routes answer it. */
export const suppressionViewSchema = z.strictObject({
  tenantId: z.string(),
  address: z.string(),
  reason: z.enum(SUPPRESSION_REASONS),
  sourceEmailId: z.string().optional(),
  detail: z.string().optional(),
  createdAt: isoTime,
  expiresAt: isoTime.optional(),
});
export const presentSuppression = (s: Suppression): z.input<typeof suppressionViewSchema> => s;

export const suppressionPageSchema = z.strictObject({ items: z.array(suppressionViewSchema), nextCursor: z.string().nullable() });
export const presentSuppressionPage = (p: SuppressionPage): z.input<typeof suppressionPageSchema> => ({
  items: p.items.map(presentSuppression),
  nextCursor: p.nextCursor,
});
