/**
 * The one definition of a sealed secret's context (the AAD of @mailroom/security's SecretBox): the
 * tenant and the field, so a secret copied to another tenant or field does not open. Every seal and
 * open of a tenant's settings goes through it (packages/transports' TenantSecrets).
 */
export const secretContext = (tenantId: string, field: string): string => `${tenantId}:${field}`;

/** The field a provider webhook's verification key is sealed under (the API seals it, the webhooks app opens it). */
export const WEBHOOK_KEY_FIELD = 'provider.webhook.verificationKey';
