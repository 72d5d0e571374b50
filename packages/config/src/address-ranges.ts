import net from 'node:net';
import { ConfigError } from './config-error';

/** One entry of an address allowlist: a single address is a range of its full length (/32, /128). */
export interface AddressRange {
  /** As written, after validation: a dotted-quad IPv4 or an IPv6 address. */
  address: string;
  family: 4 | 6;
  prefixLength: number;
}

/**
 * SMTP_PRIVATE_HOSTS_ALLOWED: comma- or space-separated IPs or CIDRs, IPv4 and IPv6
 * (`127.0.0.1,::1,10.20.0.0/16,fd00:1::/64`). Strict on purpose: only the plain forms Node's
 * net.isIP accepts (no `127.1`, no brackets, no host names), so what an operator reads in the
 * variable is what it allows.
 */
export function parseAddressRanges(variable: string, raw: string): AddressRange[] {
  return raw
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((entry) => {
      const slash = entry.indexOf('/');
      const address = slash < 0 ? entry : entry.slice(0, slash);
      const family = net.isIP(address);
      if (family !== 4 && family !== 6)
        throw new ConfigError(variable, `"${entry}" is not an IP address or CIDR (e.g. 10.0.0.5, 10.0.0.0/8, fd00::/8)`);
      const max = family === 4 ? 32 : 128;
      if (slash < 0) return { address, family, prefixLength: max };
      const prefix = entry.slice(slash + 1);
      if (!/^\d{1,3}$/.test(prefix) || Number(prefix) > max)
        throw new ConfigError(variable, `"${entry}": the prefix length must be a whole number from 0 to ${max}`);
      return { address, family, prefixLength: Number(prefix) };
    });
}
