import ipaddr from 'ipaddr.js';

/**
 * Where an IP address points, for deciding whether a tenant may make us connect there. Pure: no
 * DNS, no sockets. `public` is the only kind a tenant-chosen destination may have unless the
 * operator allowlists it (outbound-address-policy.ts).
 */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'metadata'
  | 'unique-local'
  | 'unspecified'
  | 'carrier-grade-nat'
  | 'multicast'
  | 'broadcast'
  | 'ipv4-translation'
  | 'reserved';

export interface ClassifiedAddress {
  /** Canonical text: dotted quad, or compressed IPv6. An IPv4-mapped IPv6 address is given as its IPv4. */
  address: string;
  family: 4 | 6;
  kind: AddressKind;
}

/** Cloud instance metadata services: link-local or unique-local already, named for the log and the message. */
const METADATA = new Set(['169.254.169.254', 'fd00:ec2::254']);

const V4_KINDS: Record<string, AddressKind> = {
  unicast: 'public',
  private: 'private',
  loopback: 'loopback',
  linkLocal: 'link-local',
  carrierGradeNat: 'carrier-grade-nat',
  unspecified: 'unspecified',
  broadcast: 'broadcast',
  multicast: 'multicast',
};

const V6_KINDS: Record<string, AddressKind> = {
  unicast: 'public',
  loopback: 'loopback',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  unspecified: 'unspecified',
  multicast: 'multicast',
  // Prefixes that carry an IPv4 address inside (NAT64, 6to4, Teredo, SIIT): they may lead to a private one.
  rfc6052: 'ipv4-translation',
  rfc6145: 'ipv4-translation',
  '6to4': 'ipv4-translation',
  teredo: 'ipv4-translation',
};

/**
 * An IP literal as a host: `192.0.2.1`, `::1`, `[::1]`, `fe80::1%eth0`, and the legacy IPv4 forms
 * that `inet_aton` (and so the OS resolver) accepts: `127.1`, `0x7f.1`, `0177.0.0.1`, `2130706433`.
 * Answers the canonical address, or null when the text is not an IP literal (a host name).
 */
export function parseIpLiteral(text: string): string | null {
  const bare = /^\[(.*)\]$/.exec(text.trim())?.[1] ?? text.trim();
  if (!ipaddr.isValid(bare)) return null;
  return canonical(ipaddr.parse(bare));
}

/** Compressed text without a zone id (`%eth0` names an interface, not a destination). */
function canonical(a: ipaddr.IPv4 | ipaddr.IPv6): string {
  return a.toString().replace(/%.*$/, '');
}

/** Classifies one IP address (any form parseIpLiteral takes). Throws on a text that is not an IP address. */
export function classifyAddress(ip: string): ClassifiedAddress {
  const literal = parseIpLiteral(ip);
  if (literal === null) throw new TypeError(`not an IP address: ${JSON.stringify(ip)}`);
  let parsed = ipaddr.parse(literal);
  if (parsed.kind() === 'ipv6' && (parsed as ipaddr.IPv6).isIPv4MappedAddress()) parsed = (parsed as ipaddr.IPv6).toIPv4Address();
  const address = canonical(parsed);
  if (parsed.kind() === 'ipv4') {
    const kind = METADATA.has(address) ? 'metadata' : (V4_KINDS[parsed.range()] ?? 'reserved');
    return { address, family: 4, kind };
  }
  const kind = METADATA.has(address) ? 'metadata' : (V6_KINDS[parsed.range()] ?? 'reserved');
  return { address, family: 6, kind };
}
