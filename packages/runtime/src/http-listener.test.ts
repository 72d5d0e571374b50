import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { listen } from './http-listener';

const answer: http.RequestListener = (_req, res) => res.end('ok');

describe('listen', () => {
  it('serves on the port it was given, 0 being any free one', async () => {
    const listening = await listen(answer, 0, '127.0.0.1', 'API_PORT');
    const res = await fetch(`http://127.0.0.1:${listening.port}/`);
    expect(await res.text()).toBe('ok');
    await listening.close();
  });

  it('names HOST and the port variable when the port is taken', async () => {
    const holder = http.createServer(answer);
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const port = (holder.address() as AddressInfo).port;
    try {
      await expect(listen(answer, port, '127.0.0.1', 'WEBHOOKS_PORT')).rejects.toMatchObject({ code: 'EADDRINUSE' });
      await expect(listen(answer, port, '127.0.0.1', 'WEBHOOKS_PORT')).rejects.toThrow(
        `Cannot listen on 127.0.0.1:${port} (HOST, WEBHOOKS_PORT): listen EADDRINUSE: address already in use 127.0.0.1:${port}. Another process holds that port: stop it, or set WEBHOOKS_PORT to a free port.`,
      );
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });

  it('names HOST when it is not an address of this machine', async () => {
    await expect(listen(answer, 0, '999.1.1.1', 'WORKER_PORT')).rejects.toThrow(
      /^Cannot listen on 999\.1\.1\.1:0 \(HOST, WORKER_PORT\): .+\. Check that HOST is an address of this machine/,
    );
  });
});
