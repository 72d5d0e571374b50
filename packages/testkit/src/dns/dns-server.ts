import dgram from 'node:dgram';
import dns from 'node:dns';
import net from 'node:net';

/**
 * A real DNS server on 127.0.0.1 (UDP, RFC 1035): answers A and AAAA queries from a table the test
 * changes at will, with TTL 0 so nothing caches an answer. NXDOMAIN for a name it does not know,
 * an empty answer (NODATA) for a known name without records of the asked type. Enough to play a
 * tenant's DNS, a name that points inside the network, and DNS rebinding between two lookups.
 */
export interface RunningDnsServer {
  port: number;
  /** Sets every address of a name (IPv4 and IPv6 mixed); an empty list leaves the name with no records. */
  set(name: string, addresses: string[]): void;
  /** Forgets a name: it becomes NXDOMAIN. */
  remove(name: string): void;
  /** Every question asked so far, in order. */
  queries: { name: string; type: 'A' | 'AAAA' | number }[];
  /** Asks this server (and only it) for every A and AAAA record of a host, as a HostResolver would. */
  resolve(host: string): Promise<string[]>;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_AAAA = 28;
const CLASS_IN = 1;

export async function startDnsServer(records: Record<string, string[]> = {}): Promise<RunningDnsServer> {
  const table = new Map<string, string[]>();
  const set = (name: string, addresses: string[]) => table.set(name.toLowerCase().replace(/\.$/, ''), [...addresses]);
  for (const [name, addresses] of Object.entries(records)) set(name, addresses);
  const queries: RunningDnsServer['queries'] = [];
  const socket = dgram.createSocket('udp4');
  socket.on('message', (query, peer) => {
    const answer = respond(query, table, queries);
    if (answer) socket.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => resolve());
  });
  const { port } = socket.address();
  const resolver = new dns.promises.Resolver({ timeout: 1000, tries: 1 });
  resolver.setServers([`127.0.0.1:${port}`]);

  return {
    port,
    set,
    remove: (name) => void table.delete(name.toLowerCase()),
    queries,
    resolve: async (host) => {
      const [v4, v6] = await Promise.all([noData(resolver.resolve4(host)), noData(resolver.resolve6(host))]);
      const all = [...v4, ...v6];
      if (all.length === 0) throw Object.assign(new Error(`queryA ENOTFOUND ${host}`), { code: 'ENOTFOUND', hostname: host });
      return all;
    },
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}

/** NXDOMAIN and NODATA are "no addresses of this family", not errors. */
async function noData(p: Promise<string[]>): Promise<string[]> {
  try {
    return await p;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ENOTFOUND' || code === 'ENODATA') return [];
    throw e;
  }
}

function respond(query: Buffer, table: Map<string, string[]>, log: RunningDnsServer['queries']): Buffer | null {
  if (query.length < 12 || (query[2] & 0x80) !== 0 || query.readUInt16BE(4) !== 1) return null;
  let offset = 12;
  const labels: string[] = [];
  for (;;) {
    const len = query[offset];
    if (len === undefined || len > 63) return null;
    offset += 1;
    if (len === 0) break;
    labels.push(query.toString('latin1', offset, offset + len));
    offset += len;
  }
  if (offset + 4 > query.length) return null;
  const type = query.readUInt16BE(offset);
  const question = query.subarray(12, offset + 4);
  const name = labels.join('.').toLowerCase();
  log.push({ name, type: type === TYPE_A ? 'A' : type === TYPE_AAAA ? 'AAAA' : type });

  const known = table.get(name);
  const family = type === TYPE_A ? 4 : type === TYPE_AAAA ? 6 : 0;
  const addresses = (known ?? []).filter((a) => net.isIP(a) === family);
  const header = Buffer.alloc(12);
  header.writeUInt16BE(query.readUInt16BE(0), 0);
  // QR, opcode QUERY, AA, RD echoed; RA; RCODE 3 (NXDOMAIN) for an unknown name.
  header[2] = 0x84 | (query[2] & 0x01);
  header[3] = 0x80 | (known ? 0 : 3);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(addresses.length, 6);
  const answers = addresses.map((a) => {
    const rdata = family === 4 ? Buffer.from(a.split('.').map(Number)) : ipv6Bytes(a);
    const rr = Buffer.alloc(12);
    rr.writeUInt16BE(0xc00c, 0); // the name: a pointer to the question's
    rr.writeUInt16BE(type, 2);
    rr.writeUInt16BE(CLASS_IN, 4);
    rr.writeUInt32BE(0, 6); // TTL 0: every lookup asks again
    rr.writeUInt16BE(rdata.length, 10);
    return Buffer.concat([rr, rdata]);
  });
  return Buffer.concat([header, question, ...answers]);
}

function ipv6Bytes(text: string): Buffer {
  // A dotted IPv4 tail (::ffff:127.0.0.1) is two groups.
  const address = text.replace(/(\d+)\.(\d+)\.(\d+)\.(\d+)$/, (_m, a, b, c, d) =>
    [((+a << 8) | +b).toString(16), ((+c << 8) | +d).toString(16)].join(':'),
  );
  const [head, tail] = address.split('::');
  const groups = (s: string | undefined) => (s ? s.split(':') : []);
  const h = groups(head);
  const t = tail === undefined ? [] : groups(tail);
  const all = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill('0'), ...t];
  const out = Buffer.alloc(16);
  all.forEach((g, i) => out.writeUInt16BE(parseInt(g, 16), i * 2));
  return out;
}
