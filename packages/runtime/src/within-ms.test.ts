import { checkReadiness } from './readiness';
import { DeadlineExceededError, withinMs } from './within-ms';

describe('withinMs', () => {
  it('passes the answer through when it comes in time', async () => {
    await expect(withinMs(Promise.resolve(42), 100, 'x')).resolves.toBe(42);
  });
  it('passes the failure through when it comes in time', async () => {
    await expect(withinMs(Promise.reject(new Error('refused')), 100, 'x')).rejects.toThrow('refused');
  });
  it('gives up after the budget with an error that names what did not answer', async () => {
    const started = Date.now();
    const error = await withinMs(new Promise(() => undefined), 50, 'Redis').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DeadlineExceededError);
    expect(error).toMatchObject({ what: 'Redis', ms: 50, message: 'Redis did not answer within 50 ms' });
    expect(Date.now() - started).toBeLessThan(1000);
  });
});

describe('checkReadiness', () => {
  it('names each check: ok, timed out, or failed with its words', async () => {
    const report = await checkReadiness(
      {
        store: async () => undefined,
        redis: () => new Promise(() => undefined),
        worker: async () => {
          throw new Error('not running');
        },
      },
      50,
    );
    expect(report).toEqual({
      ok: false,
      checks: { store: 'ok', redis: 'timeout after 50 ms', worker: 'failed: not running' },
      degraded: [],
    });
    expect(await checkReadiness({ store: async () => undefined })).toEqual({ ok: true, checks: { store: 'ok' }, degraded: [] });
  });

  it('a backend the app serves without leaves it ready when it fails, named as degraded; the others still decide', async () => {
    const down = async () => {
      throw new Error('not connected (reconnecting)');
    };
    const ready = await checkReadiness({ store: async () => undefined, redis: down }, 50, ['redis']);
    expect(ready).toEqual({ ok: true, checks: { store: 'ok', redis: 'failed: not connected (reconnecting)' }, degraded: ['redis'] });
    const storeDown = await checkReadiness({ store: down, redis: down }, 50, ['redis']);
    expect(storeDown).toMatchObject({ ok: false, degraded: ['redis'] });
  });
});
