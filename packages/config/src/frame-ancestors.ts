import { ConfigError } from './config-error';

/**
 * UI_FRAME_ANCESTORS as a CSP `frame-ancestors` source list: who may show the admin screens in an
 * iframe. Space- or comma-separated; `self` and `none` may be written without the quotes CSP needs
 * (quotes are awkward in .env files); origins are `https://app.example.com`, `https://*.example.com`,
 * optionally with a port. Anything that could end the directive (`;`, quotes elsewhere) is refused.
 */
const KEYWORD = /^'?(self|none)'?$/i;
const SCHEME = /^(https?|wss?):$/i;
const HOST_SOURCE = /^(https?:\/\/)?(\*\.)?[a-z0-9-]+(\.[a-z0-9-]+)*(:(\d{1,5}|\*))?\/?$/i;

export function parseFrameAncestors(raw: string): string {
  const tokens = raw.split(/[\s,]+/).filter(Boolean);
  if (tokens.length === 0)
    throw new ConfigError('UI_FRAME_ANCESTORS', 'must name at least one source, e.g. self or https://app.example.com (none: no framing)');
  const sources = tokens.map((t) => {
    const k = KEYWORD.exec(t);
    if (k) return `'${k[1].toLowerCase()}'`;
    if (SCHEME.test(t) || HOST_SOURCE.test(t)) return t.replace(/\/$/, '');
    throw new ConfigError(
      'UI_FRAME_ANCESTORS',
      `"${t}" is not a frame-ancestors source: use self, none, or an origin such as https://app.example.com`,
    );
  });
  if (sources.includes("'none'") && sources.length > 1)
    throw new ConfigError('UI_FRAME_ANCESTORS', 'none cannot be combined with other sources');
  return sources.join(' ');
}
