// Makes sure a Redis answers at REDIS_URL (default 127.0.0.1:6379): pings it, starts a local
// redis-server when none answers and one is installed, and otherwise says what to do.
import { execFileSync } from 'node:child_process';
import net from 'node:net';
import { envValue } from './env-value.mjs';

const url = new URL(envValue('REDIS_URL', 'redis://127.0.0.1:6379'));
const host = url.hostname || '127.0.0.1';
const port = Number(url.port || 6379);

function ping() {
  return new Promise((resolve) => {
    const s = net.connect({ host, port }, () => s.write('PING\r\n'));
    s.setTimeout(1500, () => {
      s.destroy();
      resolve(false);
    });
    s.on('data', (d) => {
      s.destroy();
      resolve(/PONG|NOAUTH/.test(d.toString()));
    });
    s.on('error', () => resolve(false));
  });
}

if (await ping()) process.exit(0);
const local = ['127.0.0.1', 'localhost', '::1'].includes(host);
if (local) {
  try {
    console.log(`Redis is not answering at ${host}:${port}; starting redis-server...`);
    execFileSync(
      'redis-server',
      ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no'],
      { stdio: 'inherit' },
    );
    for (let i = 0; i < 50; i++) {
      if (await ping()) process.exit(0);
      await new Promise((r) => setTimeout(r, 100));
    }
  } catch (e) {
    console.error(`Could not start redis-server: ${e.message}`);
  }
}
console.error(
  `\nMailroom needs Redis 7 at ${host}:${port} and none answers.\n` +
    `  Debian/Ubuntu: apt-get install -y redis-server && redis-server --daemonize yes --bind 127.0.0.1 --port ${port}\n` +
    `  Docker:        docker run -d -p ${port}:6379 redis:7\n` +
    `  Or point REDIS_URL at a running Redis.\n`,
);
process.exit(1);
