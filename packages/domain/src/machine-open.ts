/**
 * Honest opens: which loads of a tracking pixel (ours, or a provider's open and click events) were a
 * machine, not a person. One heuristic for every source, kept conservative:
 *
 * - Apple Mail Privacy Protection fetches every image through Apple's proxy when the message arrives,
 *   whether or not anyone reads it; that proxy's User-Agent is the bare `Mozilla/5.0`, which no real
 *   browser or mail client sends.
 * - Link and attachment scanners (Barracuda, Mimecast, Proofpoint, Microsoft Defender "Safe Links"...),
 *   crawlers and link previewers, headless browsers and HTTP libraries (curl, python-requests, Go,
 *   Java, Node's own fetch, whose agent is the bare `node`...) open or click everything they are handed.
 * - An empty or missing agent: every mail client and webview sends one; scripts often do not.
 * - An open within two seconds of the server's acceptance: no person reads that fast; a scanner does.
 *
 * Not machines: Gmail's `GoogleImageProxy` and Yahoo's proxy fetch when the recipient opens the
 * message (the proxy hides the device, not the person), so those stay human opens.
 */
const MACHINE_AGENTS: readonly RegExp[] = [
  /bot\b|crawler|spider|preview|prefetch|scanner|headless|facebookexternalhit/i,
  /^(curl|wget|python-requests|python-urllib|go-http-client|java\b|okhttp|apache-httpclient|libwww|axios|node-fetch|undici|node$)/i,
  /barracuda|mimecast|proofpoint|ironport|trend ?micro|symantec|messagelabs|forcepoint|fortiguard|fortinet|sophos|msoffice-linkscan|safelinks|ms-?defender/i,
];

/** Apple's MPP proxy presents a bare "Mozilla/5.0" with nothing after it. */
const APPLE_MPP = /^Mozilla\/5\.0$/;

/** An open within this long after the server accepted the email is a scanner, not a reader. */
export const PREFETCH_WINDOW_MS = 2000;

/** `openedAt` and `acceptedAt` (epoch ms) add the timing rule when both are known (our pixel). */
export function isMachineOpen(userAgent: string | undefined, openedAt?: number, acceptedAt?: number): boolean {
  const ua = (userAgent ?? '').trim();
  if (!ua) return true;
  if (APPLE_MPP.test(ua)) return true;
  if (MACHINE_AGENTS.some((re) => re.test(ua))) return true;
  if (openedAt !== undefined && acceptedAt !== undefined && openedAt - acceptedAt >= 0 && openedAt - acceptedAt < PREFETCH_WINDOW_MS)
    return true;
  return false;
}
