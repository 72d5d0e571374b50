import type { Config } from '@mailroom/config';
import { EmailSettings, settingsPartKey, settingsPartOf } from '@mailroom/domain';
import { AccessTokenManager, configuredVendors, OAuthError, OAuthGrant, OAuthGrantHandle, TokenEndpoint } from '@mailroom/oauth';
import type { SecretBox } from '@mailroom/security';
import type { SettingsStore } from '@mailroom/store';
import { AccessTokenSource, OAuthModule, ProviderRegistry, TenantSecrets } from '@mailroom/transports';
import type { Cluster, Redis } from 'ioredis';
import type { Logger } from 'pino';

export interface MailboxTokensOptions {
  config: Pick<Config, 'oauth' | 'timeouts' | 'queuePrefix'>;
  redis: Redis | Cluster;
  registry: ProviderRegistry;
  settings: Pick<SettingsStore, 'get' | 'update'>;
  box: SecretBox;
  logger?: Logger;
}

/**
 * The access tokens of tenants' mailboxes connected with OAuth2, for the worker and the test email:
 * one AccessTokenManager per process (refreshed at least 5 minutes before expiry, one refresh at a
 * time per tenant across every process), each tenant's grant read from the store and renewed tokens
 * sealed back into it by the module that keeps the connection, through `settings.update`, which keeps
 * the settings version: the pooled transports of every worker stay as they are.
 */
export class MailboxTokens {
  private readonly manager: AccessTokenManager;
  private readonly module?: OAuthModule;

  constructor(private readonly options: MailboxTokensOptions) {
    this.module = options.registry.oauthModule();
    this.manager = new AccessTokenManager({
      redis: options.redis,
      keyPrefix: `${options.config.queuePrefix}:`,
      vendors: configuredVendors(options.config.oauth),
      tokenEndpoint: new TokenEndpoint({ timeoutMs: options.config.timeouts.providerMs }),
      logger: options.logger,
    });
  }

  /** What a tenant's OAuth2 transport asks for its token at each send; failures are DeliveryErrors. */
  forTenant(tenantId: string): AccessTokenSource {
    return this.manager.tokensFor(this.grantOf(tenantId));
  }

  private grantOf(tenantId: string): OAuthGrantHandle {
    const secrets = new TenantSecrets(this.options.box, tenantId);
    const store = this.options.settings;
    const oauth = this.module?.oauth;
    /** The connection last read: renewed tokens are written over that one only, never over a reconnect. */
    let readConnection: string | undefined;
    return {
      tenantId,
      read: async (): Promise<OAuthGrant> => {
        const s = await store.get(tenantId);
        const grant = s && oauth && this.ownsConnection(s) ? oauth.grant(settingsPartOf(s), secrets) : undefined;
        if (!grant) throw new OAuthError('the tenant has no mailbox connected with OAuth2 any more', { kind: 'reconnect_required' });
        readConnection = grant.connectedAt;
        return grant;
      },
      write: async (tokens) => {
        await store.update(tenantId, (s) => {
          const part = this.ownsConnection(s) ? settingsPartOf(s) : undefined;
          if (!part || !oauth || oauth.grant(part, secrets)?.connectedAt !== readConnection) return null;
          return { ...s, [settingsPartKey(s.mode)!]: oauth.renewed(part, tokens, secrets) };
        });
      },
    };
  }

  private ownsConnection(s: EmailSettings): boolean {
    try {
      return this.options.registry.moduleOf(s) === this.module;
    } catch {
      return false;
    }
  }
}
