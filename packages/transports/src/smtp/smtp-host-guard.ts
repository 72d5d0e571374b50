import dns from 'node:dns';
import net from 'node:net';
import { DeliveryError, hintOf } from '@mailroom/domain';
import { AddressVerdict, OutboundAddressPolicy, parseIpLiteral } from '@mailroom/security';

/** All the addresses (A and AAAA) a host name has. The production one asks the OS (systemHostResolver). */
export type HostResolver = (host: string) => Promise<string[]>;

/** getaddrinfo, as any client on this machine would: /etc/hosts, then DNS; every address of both families. */
export const systemHostResolver: HostResolver = async (host) =>
  (await dns.promises.lookup(host, { all: true, verbatim: true })).map((a) => a.address);

/** The host resolves to an address tenants may not reach. Permanent: waiting will not change the settings. */
export class SmtpHostNotAllowedError extends DeliveryError {
  constructor(
    readonly host: string,
    readonly refused: AddressVerdict[],
  ) {
    super(`SMTP host ${host} is not allowed: it resolves to a loopback, private or otherwise non-public address`, {
      code: 'smtp_host_not_allowed',
      retryable: false,
      ...hintOf(
        'smtp.hostNotAllowed',
        'Use the public host name of your mail server. An on-premises server on a private network can only be used if the platform operator allows its address (SMTP_PRIVATE_HOSTS_ALLOWED).',
      ),
    });
  }
}

/** No address for the host (or no answer in time). Temporary at send (DNS comes back); a 400 at save. */
export class SmtpHostUnresolvableError extends DeliveryError {
  constructor(
    readonly host: string,
    reason: string,
  ) {
    super(`SMTP host ${host} could not be resolved (${reason})`, {
      code: 'EDNS',
      retryable: true,
      ...hintOf('smtp.hostUnresolvable', 'Check the spelling of the SMTP server name: it has no address (A or AAAA record) in DNS.'),
    });
  }
}

/** A host that passed the check, with every address it resolved to (all of them allowed). */
export interface VettedHost {
  host: string;
  addresses: string[];
}

/**
 * The SSRF guard of tenants' own SMTP servers: resolve once, judge every address, then connect to
 * exactly one of those addresses (never resolving again, so DNS rebinding between check and connect
 * cannot redirect us). Any refused address refuses the host: a name that answers one public and one
 * private address is a name an attacker controls. The refused host is never contacted.
 */
export class SmtpHostGuard {
  constructor(
    private readonly policy: OutboundAddressPolicy,
    private readonly resolve: HostResolver = systemHostResolver,
  ) {}

  async vet(host: string, timeoutMs: number): Promise<VettedHost> {
    const literal = parseIpLiteral(host);
    const addresses = literal ? [literal] : await this.lookup(host, timeoutMs);
    const verdicts = addresses.map((a) => this.policy.judge(a));
    const refused = verdicts.filter((v) => !v.allowed);
    if (refused.length > 0) throw new SmtpHostNotAllowedError(host, refused);
    return { host, addresses: [...new Set(verdicts.map((v) => v.address))] };
  }

  /** Vets the host, then opens a TCP connection to one of its vetted addresses within `timeoutMs`. */
  async connect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
    const deadline = Date.now() + timeoutMs;
    const { addresses } = await this.vet(host, timeoutMs);
    let last: unknown;
    for (const address of addresses) {
      const left = deadline - Date.now();
      if (left <= 0) break;
      try {
        return await openSocket(address, port, left);
      } catch (e) {
        last = e;
      }
    }
    throw last ?? timedOut(host, port, timeoutMs);
  }

  private async lookup(host: string, timeoutMs: number): Promise<string[]> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new SmtpHostUnresolvableError(host, `no answer within ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      const found = await Promise.race([this.resolve(host), timeout]);
      if (found.length === 0) throw new SmtpHostUnresolvableError(host, 'no A or AAAA record');
      return found;
    } catch (e) {
      if (e instanceof SmtpHostUnresolvableError) throw e;
      const code = (e as { code?: string }).code;
      throw new SmtpHostUnresolvableError(
        host,
        code === 'ENOTFOUND' || code === 'ENODATA' ? 'no A or AAAA record' : (code ?? 'lookup failed'),
      );
    } finally {
      clearTimeout(timer);
    }
  }
}

/** A connection error shaped as nodemailer's own (code ETIMEDOUT / ESOCKET, command CONN), so classifySmtpError reads it the same. */
function timedOut(host: string, port: number, ms: number) {
  return Object.assign(new Error(`Connection to ${host}:${port} timed out after ${ms} ms`), { code: 'ETIMEDOUT', command: 'CONN' });
}

function openSocket(address: string, port: number, timeoutMs: number): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: address, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(timedOut(address, port, timeoutMs));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeAllListeners('error');
      resolve(socket);
    });
    socket.once('error', (e: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      socket.destroy();
      reject(Object.assign(e, { code: 'ESOCKET', originalCode: e.code, command: 'CONN' }));
    });
  });
}
