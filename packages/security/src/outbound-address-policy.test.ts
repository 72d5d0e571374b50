import { AddressKind, classifyAddress, OutboundAddressPolicy, parseIpLiteral } from './index';

/** Address in, kind out: the table the SSRF guard stands on. */
const TABLE: [string, AddressKind, string][] = [
  // public
  ['8.8.8.8', 'public', '8.8.8.8'],
  ['93.184.216.34', 'public', '93.184.216.34'],
  ['2001:4860:4860::8888', 'public', '2001:4860:4860::8888'],
  ['2a00:1450:4001:81b::200e', 'public', '2a00:1450:4001:81b::200e'],
  // loopback, in every spelling the OS resolver also accepts
  ['127.0.0.1', 'loopback', '127.0.0.1'],
  ['127.255.255.254', 'loopback', '127.255.255.254'],
  ['127.1', 'loopback', '127.0.0.1'],
  ['2130706433', 'loopback', '127.0.0.1'],
  ['0x7f000001', 'loopback', '127.0.0.1'],
  ['0x7f.1', 'loopback', '127.0.0.1'],
  ['0177.0.0.1', 'loopback', '127.0.0.1'],
  ['017700000001', 'loopback', '127.0.0.1'],
  ['::1', 'loopback', '::1'],
  ['[::1]', 'loopback', '::1'],
  ['0:0:0:0:0:0:0:1', 'loopback', '::1'],
  ['::ffff:127.0.0.1', 'loopback', '127.0.0.1'],
  ['::ffff:7f00:1', 'loopback', '127.0.0.1'],
  ['[::ffff:127.0.0.1]', 'loopback', '127.0.0.1'],
  // unspecified (connecting to it reaches this very host)
  ['0.0.0.0', 'unspecified', '0.0.0.0'],
  ['0', 'unspecified', '0.0.0.0'],
  ['::', 'unspecified', '::'],
  ['[::]', 'unspecified', '::'],
  // RFC 1918, and mapped
  ['10.0.0.1', 'private', '10.0.0.1'],
  ['10.255.255.255', 'private', '10.255.255.255'],
  ['172.16.0.1', 'private', '172.16.0.1'],
  ['172.31.255.254', 'private', '172.31.255.254'],
  ['192.168.1.1', 'private', '192.168.1.1'],
  ['012.0.0.1', 'private', '10.0.0.1'],
  ['::ffff:10.0.0.1', 'private', '10.0.0.1'],
  ['::ffff:192.168.0.1', 'private', '192.168.0.1'],
  // just outside RFC 1918
  ['172.15.255.255', 'public', '172.15.255.255'],
  ['172.32.0.0', 'public', '172.32.0.0'],
  ['11.0.0.1', 'public', '11.0.0.1'],
  // link-local, and the cloud metadata service
  ['169.254.0.1', 'link-local', '169.254.0.1'],
  ['169.254.169.254', 'metadata', '169.254.169.254'],
  ['::ffff:169.254.169.254', 'metadata', '169.254.169.254'],
  ['0xa9fea9fe', 'metadata', '169.254.169.254'],
  ['fe80::1', 'link-local', 'fe80::1'],
  ['fe80::1%eth0', 'link-local', 'fe80::1'],
  ['fd00:ec2::254', 'metadata', 'fd00:ec2::254'],
  // unique-local fc00::/7
  ['fc00::1', 'unique-local', 'fc00::1'],
  ['fd12:3456:789a::1', 'unique-local', 'fd12:3456:789a::1'],
  // CGNAT 100.64/10
  ['100.64.0.1', 'carrier-grade-nat', '100.64.0.1'],
  ['100.127.255.254', 'carrier-grade-nat', '100.127.255.254'],
  ['100.63.255.255', 'public', '100.63.255.255'],
  ['100.128.0.0', 'public', '100.128.0.0'],
  // multicast, broadcast, reserved
  ['224.0.0.1', 'multicast', '224.0.0.1'],
  ['239.255.255.250', 'multicast', '239.255.255.250'],
  ['ff02::1', 'multicast', 'ff02::1'],
  ['255.255.255.255', 'broadcast', '255.255.255.255'],
  ['240.0.0.1', 'reserved', '240.0.0.1'],
  ['192.0.2.10', 'reserved', '192.0.2.10'],
  ['198.51.100.7', 'reserved', '198.51.100.7'],
  ['2001:db8::1', 'reserved', '2001:db8::1'],
  // IPv6 prefixes that carry an IPv4 address: refused whole, they may lead to a private one
  ['64:ff9b::a00:1', 'ipv4-translation', '64:ff9b::a00:1'],
  ['64:ff9b::7f00:1', 'ipv4-translation', '64:ff9b::7f00:1'],
  ['2002:c0a8:101::1', 'ipv4-translation', '2002:c0a8:101::1'],
  ['2001::1', 'ipv4-translation', '2001::1'],
];

describe('classifyAddress', () => {
  it.each(TABLE)('%s is %s (%s)', (input, kind, address) => {
    expect(classifyAddress(input)).toMatchObject({ kind, address });
  });

  it('refuses what is not an IP address', () => {
    for (const text of ['localhost', 'mail.example.com', '', '1.2.3.4.5', '::g', '[127.0.0.1', '256.0.0.1'])
      expect(() => classifyAddress(text)).toThrow(TypeError);
  });
});

describe('parseIpLiteral', () => {
  it('tells IP literals (any spelling) from host names', () => {
    expect(parseIpLiteral('[::1]')).toBe('::1');
    expect(parseIpLiteral('127.1')).toBe('127.0.0.1');
    expect(parseIpLiteral(' 10.0.0.1 ')).toBe('10.0.0.1');
    expect(parseIpLiteral('smtp.gmail.com')).toBeNull();
    expect(parseIpLiteral('localhost')).toBeNull();
    expect(parseIpLiteral('1e100.net')).toBeNull();
  });
});

describe('OutboundAddressPolicy', () => {
  it('allows public addresses and nothing else by default', () => {
    const policy = new OutboundAddressPolicy();
    const out = TABLE.filter(([input]) => !policy.judge(input).allowed).map(([input]) => input);
    expect(out).toEqual(TABLE.filter(([, kind]) => kind !== 'public').map(([input]) => input));
  });

  it('allows what the operator listed, address or range, and only that', () => {
    const policy = new OutboundAddressPolicy([
      { address: '127.0.0.1', prefixLength: 32 },
      { address: '10.20.0.0', prefixLength: 16 },
      { address: 'fd00:1::', prefixLength: 64 },
    ]);
    expect(policy.judge('127.0.0.1')).toMatchObject({ allowed: true, allowlisted: true, kind: 'loopback' });
    expect(policy.judge('::ffff:127.0.0.1')).toMatchObject({ allowed: true, address: '127.0.0.1' });
    expect(policy.judge('127.1')).toMatchObject({ allowed: true, address: '127.0.0.1' });
    expect(policy.judge('127.0.0.2').allowed).toBe(false);
    expect(policy.judge('::1').allowed).toBe(false);
    expect(policy.judge('10.20.255.1').allowed).toBe(true);
    expect(policy.judge('10.21.0.1').allowed).toBe(false);
    expect(policy.judge('fd00:1::25').allowed).toBe(true);
    expect(policy.judge('fd00:2::25').allowed).toBe(false);
    expect(policy.judge('169.254.169.254').allowed).toBe(false);
    expect(policy.judge('8.8.8.8')).toMatchObject({ allowed: true, allowlisted: false });
  });
});
