/**
 * Honest opens: which loads of a tracking pixel were a machine, not a person. Security scanners and
 * link checkers fetch every image the moment mail arrives; Apple Mail Privacy Protection prefetches
 * through Apple's proxy. Gmail's and Yahoo's image proxies fetch when the person opens the mail, so
 * they count as human.
 */
const MACHINE_AGENTS = [
  /bot\b|crawler|spider|preview|prefetch|scanner|headless/i,
  /^(curl|wget|python-requests|python-urllib|go-http-client|java\/|okhttp|libwww|axios|node-fetch|undici)/i,
  /barracuda|mimecast|proofpoint|ironport|trendmicro|symantec|forcepoint|sophos|fortinet|msoffice-linkscan|safelinks/i,
];

/** Apple's MPP proxy presents a bare "Mozilla/5.0" with nothing after it. */
const APPLE_MPP = /^Mozilla\/5\.0$/;

/** An open within this long after the server accepted the email is a scanner, not a reader. */
export const PREFETCH_WINDOW_MS = 2000;

export function isMachineOpen(userAgent: string | undefined, openedAt?: number, acceptedAt?: number): boolean {
  const ua = (userAgent ?? '').trim();
  if (!ua) return true;
  if (APPLE_MPP.test(ua)) return true;
  if (MACHINE_AGENTS.some((re) => re.test(ua))) return true;
  if (openedAt !== undefined && acceptedAt !== undefined && openedAt - acceptedAt >= 0 && openedAt - acceptedAt < PREFETCH_WINDOW_MS)
    return true;
  return false;
}
