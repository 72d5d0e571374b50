// Where run-all.mjs reaches an app: the address the apps listen on (HOST), with the wildcard
// addresses (0.0.0.0, ::), which cannot be connected to, taken as this machine's loopback.
const WILDCARD = { '0.0.0.0': '127.0.0.1', '::': '::1' };

/** `http://HOST:PORT` for an app bound to `host` (an IPv6 address in brackets). */
export function appBaseUrl(host, port) {
  const bare = host.replace(/^\[(.*)\]$/, '$1');
  const reachable = WILDCARD[bare] ?? bare;
  return `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;
}
