import type { Logger } from 'pino';
import type { TransportConfig, TransportModule } from '../provider-module';
import { smtpTimeouts } from '../smtp/smtp-module';
import type { Transport } from '../transport';
import { FileOutboxTransport } from './file-outbox-transport';
import { platformTransportFromUrl } from './platform-transport-from-url';

/**
 * `platform` mode: the platform's own relay (PLATFORM_TRANSPORT), or the file outbox when none is
 * configured. No settings of its own: the tenant's name and reply-to are the common settings. The
 * worker shares one relay between every platform tenant (`context.platform`).
 */
export const platformModule: TransportModule<never, undefined, undefined> = {
  name: 'platform',
  label: 'Platform',
  mode: 'platform',
  spec: () => undefined,
  createTransport: (_spec, context) => context.platform ?? createPlatformTransport(context.config, context.logger),
};

/**
 * The platform transport: the relay of PLATFORM_TRANSPORT, pooled with up to PLATFORM_MAX_CONNECTIONS
 * connections, or the file outbox when none is configured.
 */
export function createPlatformTransport(config: Pick<TransportConfig, 'platform' | 'timeouts'>, logger?: Logger): Transport {
  return config.platform.transportUrl
    ? platformTransportFromUrl(config.platform.transportUrl, {
        timeouts: smtpTimeouts(config.timeouts),
        pool: { maxConnections: config.platform.maxConnections },
        logger,
      })
    : new FileOutboxTransport({ dir: config.platform.outboxDir });
}
