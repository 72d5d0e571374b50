import { z } from 'zod';
import { typeError } from './input-errors';
import { emailAddressSchema } from './address';

export const PLANS = ['free', 'basic', 'standard', 'advanced', 'premium'] as const;
export type Plan = (typeof PLANS)[number];
export const planSchema = z.enum(PLANS, { error: `plan must be one of ${PLANS.join(', ')}` });

export interface Tenant {
  id: string;
  name: string;
  plan: Plan;
  /** The company's contact address: the default reply-to, and where a platform-mode test email goes. */
  email?: string;
  createdAt: string;
  updatedAt: string;
}

export const tenantIdSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'tenantId must be 1-64 letters, digits, "_" or "-"');

export const tenantInputSchema = z.strictObject({
  name: z
    .string({ error: typeError('name', 'name must be a string') })
    .trim()
    .min(1, 'name must not be empty')
    .max(200)
    .regex(/^[^\r\n]*$/, 'name must not contain line breaks'),
  plan: planSchema,
  /** Left out: the stored one is kept; `null`: it is removed. */
  email: emailAddressSchema.nullable().optional(),
});
export type TenantInput = z.infer<typeof tenantInputSchema>;

export function mayUseSmtp(plan: Plan, smtpPlans: readonly string[]): boolean {
  return smtpPlans.includes(plan);
}
