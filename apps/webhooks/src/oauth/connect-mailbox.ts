import { EmailSettings, mayUseSmtp, settingsPartKey, settingsPartOf, withinPreset } from '@mailroom/domain';
import type { ConnectedMailbox as ConnectedAtVendor } from '@mailroom/oauth';
import { presetLimitsOf, TenantSecrets } from '@mailroom/transports';
import type { WebhooksDeps } from '../webhooks-deps';

/** Why a connection the vendor completed is not saved after all. */
export class MailboxNotSaved extends Error {
  override readonly name = 'MailboxNotSaved';
  constructor(
    readonly reason: 'tenant_not_found' | 'plan_not_eligible',
    message: string,
  ) {
    super(message);
  }
}

/**
 * Saves a mailbox the vendor just connected as the tenant's settings, through the module that keeps
 * OAuth connections: its mode, its part (preset, server, username and From = the mailbox, the tokens
 * sealed), and the tenant's own sender name, reply-to, CC and BCC kept; its sending limits kept from
 * the same mode, as far as the new preset allows (decision 0030). A save like a PUT: the version
 * is bumped, so every worker builds the new transport.
 */
export async function saveConnectedMailbox(deps: WebhooksDeps, connected: ConnectedAtVendor): Promise<EmailSettings> {
  const module = deps.providers.oauthModule()!;
  const tenant = await deps.store.tenants.get(connected.tenantId);
  if (!tenant) throw new MailboxNotSaved('tenant_not_found', `tenant ${connected.tenantId} does not exist any more`);
  // Checked at the start too; the plan may have changed in the ten minutes since.
  if (module.mode === 'smtp' && !mayUseSmtp(tenant.plan, deps.config.smtpPlans))
    throw new MailboxNotSaved('plan_not_eligible', `the ${tenant.plan} plan does not allow sending through the tenant's own mailbox`);
  const previous = await deps.store.settings.get(tenant.id);
  const samePart = previous && previous.mode === module.mode ? settingsPartOf(previous) : undefined;
  const part = module.oauth.connected(
    {
      vendor: connected.vendor,
      via: connected.via,
      mailbox: connected.mailbox,
      refreshToken: connected.refreshToken,
      accessToken: connected.accessToken,
      accessTokenExpiresAt: connected.accessTokenExpiresAt,
      ...(connected.smtp ? { server: connected.smtp } : {}),
      connectedAt: deps.now().toISOString(),
    },
    samePart,
    new TenantSecrets(deps.box, tenant.id),
  );
  const key = settingsPartKey(module.mode)!;
  const limits = samePart ? withinPreset(previous?.limits, presetLimitsOf(deps.providers, { mode: module.mode, [key]: part })) : undefined;
  return deps.store.settings.put({
    tenantId: tenant.id,
    mode: module.mode,
    senderName: previous?.senderName ?? tenant.name,
    ...(previous?.replyTo ? { replyTo: previous.replyTo } : {}),
    cc: previous?.cc ?? [],
    bcc: previous?.bcc ?? [],
    [key]: part,
    ...(limits ? { limits } : {}),
    updatedAt: deps.now().toISOString(),
  });
}
