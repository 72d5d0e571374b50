import fs from 'node:fs';
import path from 'node:path';

/**
 * What docker-compose.yml publishes on the host: only the webhooks app faces the internet (providers
 * post there, mail clients fetch the pixel); the API (with /ops and bull-board), MongoDB, Prometheus
 * and Grafana are bound to 127.0.0.1, as infra/README.md says.
 */
describe('docker-compose.yml published ports', () => {
  const compose = fs.readFileSync(path.resolve(__dirname, '..', 'docker-compose.yml'), 'utf8');
  /** service name -> its `ports:` entries (the file's two-space service indentation). */
  const published = new Map<string, string[]>();
  let service = '';
  let inPorts = false;
  for (const line of compose.split('\n')) {
    const s = /^ {2}([a-z][\w-]*):\s*$/.exec(line);
    if (s) [service, inPorts] = [s[1], false];
    else if (/^ {4}ports:\s*$/.test(line)) inPorts = true;
    else if (inPorts && /^ {6}- /.test(line))
      published.set(service, [...(published.get(service) ?? []), line.replace(/^ {6}- |'|"/g, '').trim()]);
    else if (/^ {4}\S/.test(line)) inPorts = false;
  }

  it('binds everything but the webhooks app to 127.0.0.1', () => {
    expect(published.get('api')).toEqual(['127.0.0.1:8080:8080']);
    expect(published.get('webhooks')).toEqual(['8081:8081']);
    for (const [name, ports] of published)
      if (name !== 'webhooks') for (const p of ports) expect(`${name} ${p}`).toMatch(new RegExp(`^${name} 127\\.0\\.0\\.1:`));
  });
});
