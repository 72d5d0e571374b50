import net from 'node:net';
import { createStore } from '../create-store';

/** A port nothing listens on: bound by the OS, then released. */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('a MongoDB that does not answer at start', () => {
  it('fails init() within seconds, naming STORE_URL and the reason, without the password or the driver state', async () => {
    const port = await closedPort();
    const store = createStore(`mongodb://mailroom:s3cret-pw@127.0.0.1:${port}/x`);
    const started = Date.now();
    const failure = await store.init().then(
      () => undefined,
      (e: Error) => e,
    );
    const elapsed = Date.now() - started;
    expect(failure).toBeInstanceOf(Error);
    expect(elapsed).toBeLessThan(12_000); // the driver alone: 30 s
    expect(failure!.message).toMatch(
      new RegExp(`^Cannot reach MongoDB at mongodb://\\*\\*\\*@127\\.0\\.0\\.1:${port}/x \\(STORE_URL\\): connect ECONNREFUSED`),
    );
    expect(failure!.message).not.toMatch(/s3cret-pw|TopologyDescription|MongoServerSelectionError/);
    expect(failure!.cause).toBeUndefined();
  }, 20_000);
});
