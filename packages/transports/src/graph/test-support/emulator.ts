import { GraphEmulator, OAuthServerEmulator, startGraphEmulator } from '@mailroom/testkit';

/** Microsoft Graph's sendMail, trusting the tokens of a local Microsoft authorization server, and the variable that points Mailroom at it. */
export async function startGraphFor(oauth: OAuthServerEmulator): Promise<{ graph: GraphEmulator; env: Record<string, string> }> {
  const graph = await startGraphEmulator({
    tokenOwner: (token) => oauth.isValidAccessToken(token),
    tokenIssued: (token) => oauth.issuedAccessToken(token),
  });
  return { graph, env: { MICROSOFT_GRAPH_URL: graph.url } };
}
