import { z } from 'zod';
import { typeError } from './input-errors';
import type { EmailRecord } from './email';
import { RECIPIENT_STATUSES } from './status';

/** The history's filters and cursor, as the list route takes them, and one page of the answer. */
const statusFilter = z.enum(RECIPIENT_STATUSES, { error: `status must be one of ${RECIPIENT_STATUSES.join(', ')}` });

export const historyQuerySchema = z.strictObject({
  documentId: z.string().max(128).optional(),
  documentType: z
    .string()
    .trim()
    .toLowerCase()
    .max(40)
    .meta({ description: 'Matched in lower case, as document.type is stored: `Invoice` finds the invoices.' })
    .optional(),
  status: statusFilter.optional(),
  recipient: z.string().trim().toLowerCase().max(254).optional(),
  since: z.iso.datetime({ offset: true, error: 'since must be an ISO 8601 date-time' }).optional(),
  until: z.iso.datetime({ offset: true, error: 'until must be an ISO 8601 date-time' }).optional(),
  test: z
    .enum(['true', 'false'], { error: 'test must be true or false' })
    .transform((v) => v === 'true')
    .optional(),
  limit: z.coerce
    .number({ error: typeError('limit', 'limit must be a number') })
    .int()
    .min(1)
    .max(200)
    .default(50),
  cursor: z.string().max(200).optional(),
});
export type HistoryQuery = z.infer<typeof historyQuerySchema>;

export interface HistoryPage {
  items: EmailRecord[];
  nextCursor: string | null;
}
