/**
 * Whether an open (or click) came from a machine rather than a person, judged from Mailjet's `agent`.
 * Mailjet does not flag machine opens itself, so this is a heuristic, kept conservative:
 *
 * - Apple Mail Privacy Protection fetches every image through Apple's proxy when the message arrives,
 *   whether or not anyone reads it; that proxy's User-Agent is the bare `Mozilla/5.0`, which no real
 *   browser or mail client sends.
 * - Link and attachment scanners (Barracuda, Mimecast, Proofpoint, Microsoft Defender "Safe Links"...),
 *   crawlers and link previewers, and HTTP libraries (curl, python-requests, Go, Java...) open or click
 *   everything they are handed.
 * - An empty or missing agent: every mail client and webview sends one; scripts often do not.
 *
 * Not machines: Gmail's `GoogleImageProxy` and Yahoo's proxy fetch when the recipient opens the
 * message (the proxy hides the device, not the person), so those stay human opens.
 */
const MACHINE_AGENTS: RegExp[] = [
  /^Mozilla\/5\.0$/,
  /barracuda|mimecast|proofpoint|symantec|messagelabs|trend ?micro|fortiguard|sophos|safelinks|ms-?defender/i,
  /\b(bot|crawler|spider|scanner|preview)\b|bingpreview|googlebot|facebookexternalhit|slackbot/i,
  /^(curl|wget|python-requests|python-urllib|go-http-client|java|okhttp|apache-httpclient|libwww-perl|axios|node-fetch|undici)\b/i,
];

export function isMachineAgent(agent: string | undefined): boolean {
  const a = agent?.trim() ?? '';
  if (a === '') return true;
  return MACHINE_AGENTS.some((re) => re.test(a));
}
