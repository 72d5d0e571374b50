import ipaddr from 'ipaddr.js';
import { AddressKind, classifyAddress } from './classify-address';

/** An allowlist entry, as packages/config parses SMTP_PRIVATE_HOSTS_ALLOWED. */
export interface AllowedRange {
  address: string;
  prefixLength: number;
}

export interface AddressVerdict {
  /** Canonical address (an IPv4-mapped IPv6 address as its IPv4). */
  address: string;
  family: 4 | 6;
  kind: AddressKind;
  allowed: boolean;
  /** Allowed only because the operator listed it. */
  allowlisted: boolean;
}

/**
 * Whether a tenant-chosen destination (the SMTP host of its own settings) may be connected to:
 * public addresses yes; loopback, private, link-local (cloud metadata), unique-local, unspecified,
 * CGNAT, multicast, broadcast, reserved and IPv4-translation prefixes no, unless the operator lists
 * the address or its range. Pure; the resolving and connecting live next to the SMTP transport.
 */
export class OutboundAddressPolicy {
  private readonly ranges: [ipaddr.IPv4 | ipaddr.IPv6, number][];

  constructor(allowed: readonly AllowedRange[] = []) {
    this.ranges = allowed.map((r) => [ipaddr.parse(r.address), r.prefixLength]);
  }

  judge(ip: string): AddressVerdict {
    const c = classifyAddress(ip);
    if (c.kind === 'public') return { ...c, allowed: true, allowlisted: false };
    const parsed = ipaddr.parse(c.address);
    const listed = this.ranges.some(([range, bits]) => range.kind() === parsed.kind() && parsed.match(range, bits));
    return { ...c, allowed: listed, allowlisted: listed };
  }
}
