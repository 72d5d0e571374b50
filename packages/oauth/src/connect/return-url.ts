/**
 * Whether the callback may send the admin's browser to `returnUrl`: http(s) only, and only to a host
 * listed in OAUTH_RETURN_HOSTS (exact host names, compared without case; `host:port` pins a port).
 * Anything else would make the callback an open redirect.
 */
export function isAllowedReturnUrl(returnUrl: string, allowedHosts: readonly string[]): boolean {
  let url: URL;
  try {
    url = new URL(returnUrl);
  } catch {
    return false;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password) return false;
  const host = url.hostname.toLowerCase();
  return allowedHosts.some((entry) => {
    const allowed = entry.trim().toLowerCase();
    return allowed.includes(':') && !allowed.startsWith('[') ? allowed === url.host.toLowerCase() : allowed === host;
  });
}

/** The return URL with the outcome added: `oauth=connected`, or `oauth=error&reason=<code>`. */
export function returnUrlWithOutcome(returnUrl: string, outcome: { ok: true } | { ok: false; reason: string }): string {
  const url = new URL(returnUrl);
  url.searchParams.set('oauth', outcome.ok ? 'connected' : 'error');
  if (!outcome.ok) url.searchParams.set('reason', outcome.reason);
  return url.toString();
}
