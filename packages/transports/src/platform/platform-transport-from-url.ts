import { SmtpTlsMode, SmtpTransport, SmtpTransportOptions } from '../smtp/smtp-transport';

/**
 * PLATFORM_TRANSPORT, the platform's own relay, as a URL:
 *
 * | URL                                   | connection                                              |
 * | ------------------------------------- | ------------------------------------------------------- |
 * | `smtps://user:pass@host[:465]`        | implicit TLS                                            |
 * | `smtp://user:pass@host[:587]`         | STARTTLS, required (as for a tenant's `tls: false`)     |
 * | `smtp://127.0.0.1:25` (loopback host) | STARTTLS when the relay offers it, plaintext otherwise  |
 * | `smtp://relay.internal:25?tls=none`   | never TLS: the operator says the network is private     |
 * | `...?tls=starttls` / `?tls=implicit`  | forces that mode, also on loopback                      |
 *
 * Why plaintext only there: a relay on the same machine (a Postfix or a sidecar on 127.0.0.1/::1/
 * localhost) is the common platform setup and its traffic never leaves the host, so requiring TLS
 * would only break it; anywhere else the credentials and documents cross a network, so plaintext
 * must be asked for by name (`tls=none`) rather than happen because STARTTLS was missing.
 * Certificates are verified in every mode. User and password are percent-decoded. Any other query
 * parameter is refused, so a typo fails at start instead of silently weakening the connection.
 */
export interface PlatformRelay {
  host: string;
  port: number;
  tls: SmtpTlsMode;
  username?: string;
  password?: string;
}

export type PlatformTransportOptions = Pick<SmtpTransportOptions, 'logger' | 'timeouts' | 'pool' | 'name'>;

const TLS_PARAM: Record<string, SmtpTlsMode> = { implicit: true, starttls: false, none: 'none' };

export function parsePlatformTransportUrl(url: string): PlatformRelay {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    // URL's own error carries the input, password included: say what is wrong without it.
    throw new Error('PLATFORM_TRANSPORT is not a valid URL (expected smtp://user:pass@host:port or smtps://...)');
  }
  const scheme = parsed.protocol.replace(/:$/, '');
  // Not smtp(s): the text may not be a URL at all ("user:pass at host"), so none of it is repeated.
  if (scheme !== 'smtp' && scheme !== 'smtps') throw new Error('PLATFORM_TRANSPORT must be an smtp:// or smtps:// URL');
  const shown = redactedUrl(parsed);
  const host = parsed.hostname.replace(/^\[(.*)\]$/, '$1');
  if (!host) throw new Error(`PLATFORM_TRANSPORT ${shown}: a host is required`);

  for (const key of parsed.searchParams.keys()) {
    if (key !== 'tls') throw new Error(`PLATFORM_TRANSPORT ${shown}: unknown parameter "${key}" (only tls=implicit|starttls|none)`);
  }
  const tlsParam = parsed.searchParams.get('tls');
  if (tlsParam !== null && !(tlsParam in TLS_PARAM)) throw new Error(`PLATFORM_TRANSPORT ${shown}: tls must be implicit, starttls or none`);

  let tls: SmtpTlsMode;
  if (tlsParam !== null) tls = TLS_PARAM[tlsParam];
  else if (scheme === 'smtps') tls = true;
  else tls = isLoopback(host) ? 'optional' : false;
  if (scheme === 'smtps' && tls !== true)
    throw new Error(`PLATFORM_TRANSPORT ${shown}: smtps:// is implicit TLS; use smtp:// for tls=${tlsParam}`);

  return {
    host,
    port: parsed.port ? Number(parsed.port) : tls === true ? 465 : 587,
    tls,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
  };
}

/** The platform's relay as an SmtpTransport that reports itself as kind 'platform'. */
export function platformTransportFromUrl(url: string, options: PlatformTransportOptions = {}): SmtpTransport {
  return new SmtpTransport({ ...parsePlatformTransportUrl(url), ...options, kind: 'platform' });
}

export function isLoopback(host: string): boolean {
  const h = host.toLowerCase();
  return h === 'localhost' || h.endsWith('.localhost') || /^127(\.\d{1,3}){3}$/.test(h) || h === '::1';
}

/** For messages and logs: the URL with its password replaced. */
export function redactedUrl(url: URL): string {
  const copy = new URL(url.href);
  if (copy.password) copy.password = '***';
  return copy.href;
}
