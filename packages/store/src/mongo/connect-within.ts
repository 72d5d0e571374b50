import type { MongoClient, ServerHeartbeatFailedEvent, TopologyDescriptionChangedEvent } from 'mongodb';

/** The URL for a message: its credentials masked. */
export function redactMongoUrl(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//***@');
}

/**
 * Connects, or throws within `timeoutMs` an error that says what to check: where (STORE_URL, without
 * its password) and the last thing the driver ran into (ECONNREFUSED, authentication...), instead of
 * the driver's 30 s wait and its topology dump. The client is closed on failure.
 */
export async function connectWithin(client: MongoClient, url: string, timeoutMs: number): Promise<void> {
  let lastError: string | undefined;
  const onHeartbeatFailed = (e: ServerHeartbeatFailedEvent) => (lastError = e.failure.message);
  const onTopology = (e: TopologyDescriptionChangedEvent) => {
    for (const server of e.newDescription.servers.values()) if (server.error) lastError = server.error.message;
  };
  client.on('serverHeartbeatFailed', onHeartbeatFailed);
  client.on('topologyDescriptionChanged', onTopology);
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      client.connect(),
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
      }),
    ]);
  } catch (e) {
    await client.close().catch(() => undefined);
    const why = lastError ?? (e as Error).message.split('\n')[0];
    // eslint-disable-next-line preserve-caught-error -- on purpose: the driver's error carries its whole topology description, which is what buried the reason; `why` keeps the reason
    throw new Error(
      `Cannot reach MongoDB at ${redactMongoUrl(url)} (STORE_URL): ${why}. Check STORE_URL (hosts, port, replicaSet, user and password) and that MongoDB runs there and accepts connections from this machine.`,
    );
  } finally {
    clearTimeout(timer);
    client.off('serverHeartbeatFailed', onHeartbeatFailed);
    client.off('topologyDescriptionChanged', onTopology);
  }
}
