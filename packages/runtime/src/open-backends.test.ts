import { loadConfig } from '@mailroom/config';
import { RedisServerProcess, startRedisServer } from '@mailroom/testkit';
import pino from 'pino';
import { Writable } from 'node:stream';
import { openBackends } from './open-backends';

/** A pino logger whose lines land in `lines`, parsed. */
function capturedLogger() {
  const lines: { level: number; msg: string }[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const l of chunk.toString().split('\n').filter(Boolean)) lines.push(JSON.parse(l));
      done();
    },
  });
  return { logger: pino({ level: 'debug' }, sink), lines };
}

const WARN = 40;
const warnings = (lines: { level: number; msg: string }[]) => lines.filter((l) => l.level === WARN).map((l) => l.msg);
const settle = () => new Promise((r) => setTimeout(r, 300));

describe('openBackends: what it says about Redis', () => {
  let redis: RedisServerProcess;
  beforeEach(async () => {
    redis = await startRedisServer();
  });
  afterEach(() => redis.close());

  const open = (url: string, log: ReturnType<typeof capturedLogger>) =>
    openBackends(loadConfig({ REDIS_URL: url, STORE_URL: 'sqlite::memory:' }), log.logger);

  it.each(['worker', 'request-path'] as const)('%s: our own close at shutdown is not "redis connection lost"', async (use) => {
    const log = capturedLogger();
    const backends = await openBackends(loadConfig({ REDIS_URL: redis.url, STORE_URL: 'sqlite::memory:' }), log.logger, undefined, use);
    await backends.close();
    await settle();
    expect(warnings(log.lines)).toEqual([]);
  });

  it('a lost connection is one warning, its reconnect errors debug, and its return one line', async () => {
    const log = capturedLogger();
    const backends = await open(redis.url, log);
    try {
      await redis.stop();
      await new Promise((r) => setTimeout(r, 1500));
      await redis.start();
      const deadline = Date.now() + 10_000;
      while (!log.lines.some((l) => l.msg === 'redis connection is back') && Date.now() < deadline) await settle();
      expect(warnings(log.lines)).toEqual(['redis connection lost; reconnecting']);
      expect(log.lines.filter((l) => l.level >= 50)).toEqual([]);
      expect(log.lines.some((l) => l.msg === 'redis connection is back')).toBe(true);
    } finally {
      await backends.close();
    }
  }, 20_000);
});

describe('openBackends: the Redis maxmemory-policy', () => {
  it('warns at start, in the JSON log, naming an evicting policy and the fix', async () => {
    const lru = await startRedisServer({ args: ['--maxmemory-policy', 'allkeys-lru'] });
    const log = capturedLogger();
    const backends = await openBackends(loadConfig({ REDIS_URL: lru.url, STORE_URL: 'sqlite::memory:' }), log.logger);
    try {
      const warning = log.lines.find((l) => l.level === WARN && /maxmemory-policy/.test(l.msg));
      expect(warning?.msg).toMatch(/maxmemory-policy is allkeys-lru.*BullMQ requires noeviction/);
    } finally {
      await backends.close();
      await lru.close();
    }
  });

  it('says nothing of it on noeviction', async () => {
    const ok = await startRedisServer({ args: ['--maxmemory-policy', 'noeviction'] });
    const log = capturedLogger();
    const backends = await openBackends(loadConfig({ REDIS_URL: ok.url, STORE_URL: 'sqlite::memory:' }), log.logger);
    await backends.close();
    await ok.close();
    expect(log.lines.filter((l) => /maxmemory-policy/.test(l.msg))).toEqual([]);
  });
});
