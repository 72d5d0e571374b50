import type { Config } from '@mailroom/config';
import {
  FileOutboxTransport,
  MailgunTransport,
  MailjetTransport,
  platformTransportFromUrl,
  SendgridTransport,
  SmtpHostGuard,
  SmtpTransport,
  Transport,
} from '@mailroom/transports';
import type { Logger } from 'pino';
import type { TransportSpec } from './transport-spec';

export type TransportConfig = Pick<Config, 'platform' | 'providers' | 'timeouts'>;

/** What a transport is built with besides the config. */
export interface TransportContext {
  logger?: Logger;
  /** The SSRF guard every tenant SMTP connection goes through (buildSmtpHostGuard). */
  smtpHosts: SmtpHostGuard;
  /**
   * The platform's relay as the worker shares it between every platform tenant
   * (shared-platform-transport.ts); without it, a new platform transport.
   */
  platform?: Transport;
}

/**
 * The registry: a spec in, a NEW transport out, so two tenants on one provider never share a client or
 * its keys. The one exception is the platform's relay, which is the platform's own: `context.platform`,
 * when given (the worker's), serves every platform tenant.
 */
export function createTransport(spec: TransportSpec, config: TransportConfig, context: TransportContext): Transport {
  const t = config.timeouts;
  const logger = context.logger;
  switch (spec.kind) {
    case 'platform':
      return context.platform ?? createPlatformTransport(config, logger);
    case 'smtp':
      return new SmtpTransport({
        host: spec.host,
        port: spec.port,
        tls: spec.tls,
        username: spec.username,
        password: spec.password,
        preset: spec.preset,
        pool: { maxConnections: 2 },
        timeouts: smtpTimeouts(config),
        logger,
        hostGuard: context.smtpHosts,
      });
    case 'sendgrid':
      return new SendgridTransport({ apiKey: spec.apiKey, baseUrl: config.providers.sendgridUrl, timeoutMs: t.providerMs, logger });
    case 'mailgun':
      return new MailgunTransport({
        apiKey: spec.apiKey,
        domain: spec.domain,
        baseUrl: spec.region === 'eu' ? config.providers.mailgunUrlEu : config.providers.mailgunUrlUs,
        timeoutMs: t.providerMs,
        logger,
      });
    case 'mailjet':
      return new MailjetTransport({
        publicKey: spec.publicKey,
        privateKey: spec.privateKey,
        baseUrl: config.providers.mailjetUrl,
        timeoutMs: t.providerMs,
        logger,
      });
  }
}

/**
 * The platform transport: the relay of PLATFORM_TRANSPORT, pooled with up to PLATFORM_MAX_CONNECTIONS
 * connections, or the file outbox when none is configured.
 */
export function createPlatformTransport(config: TransportConfig, logger?: Logger): Transport {
  return config.platform.transportUrl
    ? platformTransportFromUrl(config.platform.transportUrl, {
        timeouts: smtpTimeouts(config),
        pool: { maxConnections: config.platform.maxConnections },
        logger,
      })
    : new FileOutboxTransport({ dir: config.platform.outboxDir });
}

function smtpTimeouts(config: TransportConfig) {
  return {
    connectionMs: config.timeouts.smtpConnectionMs,
    greetingMs: config.timeouts.smtpGreetingMs,
    socketMs: config.timeouts.smtpSocketMs,
  };
}
