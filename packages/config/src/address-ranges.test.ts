import { ConfigError, loadConfig, parseAddressRanges } from './index';

describe('SMTP_PRIVATE_HOSTS_ALLOWED', () => {
  it('is empty by default: no private SMTP host is allowed', () => {
    expect(loadConfig({}).smtpPrivateHostsAllowed).toEqual([]);
  });

  it('takes IPv4 and IPv6 addresses and CIDRs, comma- or space-separated', () => {
    expect(parseAddressRanges('X', '127.0.0.1, ::1 10.20.0.0/16,fd00:1::/64')).toEqual([
      { address: '127.0.0.1', family: 4, prefixLength: 32 },
      { address: '::1', family: 6, prefixLength: 128 },
      { address: '10.20.0.0', family: 4, prefixLength: 16 },
      { address: 'fd00:1::', family: 6, prefixLength: 64 },
    ]);
    const c = loadConfig({ SMTP_PRIVATE_HOSTS_ALLOWED: '192.168.1.10' });
    expect(c.smtpPrivateHostsAllowed).toEqual([{ address: '192.168.1.10', family: 4, prefixLength: 32 }]);
    expect(c.notices.join('\n')).toMatch(/SMTP_PRIVATE_HOSTS_ALLOWED.*192\.168\.1\.10/);
  });

  it('refuses host names, shorthand IPv4, brackets and bad prefixes, naming the variable', () => {
    for (const bad of ['mail.internal', '127.1', '[::1]', '10.0.0.0/33', '::1/129', '10.0.0.0/x', '10.0.0.0/']) {
      let caught: unknown;
      try {
        loadConfig({ SMTP_PRIVATE_HOSTS_ALLOWED: bad });
      } catch (e) {
        caught = e;
      }
      expect(caught).toBeInstanceOf(ConfigError);
      expect((caught as ConfigError).variable).toBe('SMTP_PRIVATE_HOSTS_ALLOWED');
    }
  });
});
