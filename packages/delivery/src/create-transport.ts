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
}

/**
 * The registry: a spec in, a NEW transport out. Never hands out a shared instance, so two tenants
 * on one provider never share a client or its keys.
 */
export function createTransport(spec: TransportSpec, config: TransportConfig, context: TransportContext): Transport {
  const t = config.timeouts;
  const logger = context.logger;
  switch (spec.kind) {
    case 'platform':
      return config.platform.transportUrl
        ? platformTransportFromUrl(config.platform.transportUrl, { timeouts: smtpTimeouts(config), logger })
        : new FileOutboxTransport({ dir: config.platform.outboxDir });
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

function smtpTimeouts(config: TransportConfig) {
  return {
    connectionMs: config.timeouts.smtpConnectionMs,
    greetingMs: config.timeouts.smtpGreetingMs,
    socketMs: config.timeouts.smtpSocketMs,
  };
}
