import { emailAddressSchema } from '@mailroom/domain';
import { z } from 'zod';
import { SettingsFieldError, TenantSecrets } from './tenant-secrets';

/**
 * A provider module's input schema: the fields every provider has (its `name`, by which the registry
 * picks the module; the From address; the webhook verification key an admin pastes by hand when
 * automatic registration failed) and its own. A field of another provider is refused by name.
 */
export function providerInputSchema<N extends string, S extends z.ZodRawShape>(name: N, shape: S) {
  const fields = {
    name: z.literal(name),
    fromAddress: emailAddressSchema,
    /** Pasted by hand when automatic webhook registration failed. */
    webhookVerificationKey: z.string().trim().min(1).max(4096).optional(),
    ...shape,
  };
  const known = Object.keys(fields).join(', ');
  return z.strictObject(fields, {
    error: (issue) =>
      issue.code === 'unrecognized_keys'
        ? `${name} has no ${issue.keys.map((k) => `"${k}"`).join(', ')}: leave ${issue.keys.length > 1 ? 'them' : 'it'} out (${name} takes ${known})`
        : undefined,
  });
}

/**
 * The schema of a provider module's `present` answer: the fields every provider shows (its `name`,
 * the From address) and its own (`hasX` flags and last-4 hints, never a secret).
 */
export function presentedProviderSchema<N extends string, S extends z.ZodRawShape>(name: N, shape: S) {
  return z.strictObject({ name: z.literal(name), fromAddress: z.string(), ...shape });
}

/** A provider's API key: trimmed, never empty. */
export const apiKeySchema = (field: string) => z.string().trim().min(1, `${field} must not be empty`).max(512);

/** The last four characters of a key, for the admin to recognise it; kept when the key is. */
export const keyHint = (plain: string | undefined, previous: string | undefined): string | undefined =>
  plain !== undefined ? plain.slice(-4) : previous;

/** Where a provider's private API key is sealed (the sealing context names the field). */
export const PRIVATE_KEY_FIELD = 'provider.privateApiKey';

/**
 * A provider's private API key as its settings store it: the new one sealed, or else the one saved
 * before (the admin leaves the field empty to keep it), with its last four for the screens. Refused,
 * naming the field, when there is neither.
 */
export function storedPrivateKey(
  provider: string,
  plain: string | undefined,
  previous: { privateApiKey?: string; privateKeyHint?: string } | undefined,
  secrets: TenantSecrets,
): { privateApiKey: string; privateKeyHint?: string } {
  const privateApiKey = plain !== undefined ? secrets.seal(PRIVATE_KEY_FIELD, plain) : previous?.privateApiKey;
  if (!privateApiKey) throw new SettingsFieldError('privateApiKey', `the ${provider} private API key is required`);
  const privateKeyHint = keyHint(plain, previous?.privateKeyHint);
  return { privateApiKey, ...(privateKeyHint ? { privateKeyHint } : {}) };
}
