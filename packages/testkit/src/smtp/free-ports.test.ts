import net from 'node:net';
import { freePorts } from './dead-end-servers';

describe('freePorts', () => {
  it('gives n distinct ports, each free to listen on once given back', async () => {
    const ports = await freePorts(40);
    expect(new Set(ports).size).toBe(40);
    for (const port of ports.slice(0, 5)) {
      const server = net.createServer();
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
      });
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
