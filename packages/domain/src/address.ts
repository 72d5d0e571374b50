import { z } from 'zod';
import { typeError } from './input-errors';

/** A mailbox: what every To/CC/BCC/Reply-To entry becomes once parsed. */
export interface Address {
  email: string;
  name?: string;
}

const NO_LINE_BREAKS = /^[^\r\n]*$/;

/** Refuses CR/LF anywhere a value ends up in a header (header injection). */
export const headerSafeString = (field: string, max = 998) =>
  z
    .string({ error: typeError(field, `${field} must be a string`) })
    .max(max, `${field} is longer than ${max} characters`)
    .regex(NO_LINE_BREAKS, `${field} must not contain line breaks (CR or LF)`);

export const emailAddressSchema = z
  .string({ error: typeError('an address', 'an address must be a string') })
  .trim()
  .max(254, 'an email address is at most 254 characters')
  .regex(NO_LINE_BREAKS, 'an email address must not contain line breaks')
  .pipe(z.email('is not a valid email address'))
  .transform((s) => s.toLowerCase());

/** `"a@b.c"` or `{ "email", "name" }`, as the HTTP API accepts it. A bare string becomes `{ email }`. */
export const addressSchema = z
  .preprocess(
    (v) => (typeof v === 'string' ? { email: v } : v),
    z.strictObject(
      { email: emailAddressSchema, name: headerSafeString('name', 200).optional() },
      { error: typeError('an address', 'an address is "a@b.c" or { "email": "a@b.c", "name": "A" }') },
    ),
  )
  .transform((a): Address => (a.name ? { email: a.email, name: a.name } : { email: a.email }));

/** Joins address lists, keeping the first occurrence of each address (case-insensitive) and dropping any in `exclude`. */
export function mergeAddresses(lists: Address[][], exclude: Address[] = []): Address[] {
  const seen = new Set(exclude.map((a) => a.email.toLowerCase()));
  const out: Address[] = [];
  for (const list of lists) {
    for (const a of list) {
      const key = a.email.toLowerCase();
      if (seen.has(key)) continue;
      seen.add(key);
      out.push(a);
    }
  }
  return out;
}

export function formatAddress(a: Address): string {
  return a.name ? `"${a.name.replace(/["\\]/g, '\\$&')}" <${a.email}>` : a.email;
}

export function domainOf(email: string): string {
  return email.slice(email.lastIndexOf('@') + 1).toLowerCase();
}
