import dns from 'node:dns';
import { startDnsServer } from './dns-server';

describe('the test DNS server', () => {
  it("answers A and AAAA from its table through Node's own resolver, NXDOMAIN otherwise, and changes its mind at once", async () => {
    const server = await startDnsServer({
      'mail.acme.test': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
      'v6only.test': ['::1'],
    });
    try {
      expect(await server.resolve('mail.acme.test')).toEqual(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946']);
      expect(await server.resolve('v6only.test')).toEqual(['::1']);
      await expect(server.resolve('nowhere.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      const direct = new dns.promises.Resolver();
      direct.setServers([`127.0.0.1:${server.port}`]);
      await expect(direct.resolve4('nowhere.test')).rejects.toMatchObject({ code: 'ENOTFOUND' });
      await expect(direct.resolve4('v6only.test')).rejects.toMatchObject({ code: 'ENODATA' });

      server.set('mail.acme.test', ['10.0.0.7']);
      expect(await server.resolve('MAIL.acme.test')).toEqual(['10.0.0.7']);
      expect(server.queries.filter((q) => q.name === 'mail.acme.test').map((q) => q.type)).toEqual(['A', 'AAAA', 'A', 'AAAA']);
    } finally {
      await server.close();
    }
  });
});
