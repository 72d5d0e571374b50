import { ConfigError, loadConfig } from './index';

const secret = (byte: number, bytes = 24) => `whsec_${Buffer.alloc(bytes, byte).toString('base64')}`;

function refused(env: Record<string, string>): { variable: string; message: string } {
  try {
    loadConfig(env);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return { variable: (e as ConfigError).variable, message: (e as Error).message };
  }
  throw new Error('expected a ConfigError');
}

describe('callback and suppression configuration', () => {
  it('without CALLBACK_URL: no callbacks, said once in the notices; defaults for the rest', () => {
    const c = loadConfig({});
    expect(c.callbacks).toEqual({ url: undefined, secrets: [], retryScale: 1 });
    expect(c.notices.filter((n) => n.includes('CALLBACK_URL'))).toHaveLength(1);
    expect(c.suppression).toEqual({ bounceDays: 30 });
  });

  it('takes a URL and several whsec_ secrets, the first signing, as key bytes', () => {
    const c = loadConfig({
      CALLBACK_URL: 'https://platform.example/hooks/mailroom',
      CALLBACK_SECRETS: ` ${secret(1)} , ${secret(2, 32)} `,
      CALLBACK_RETRY_SCALE: '0.001',
      SUPPRESSION_BOUNCE_DAYS: '7',
    });
    expect(c.callbacks.url).toBe('https://platform.example/hooks/mailroom');
    expect(c.callbacks.secrets).toEqual([Buffer.alloc(24, 1), Buffer.alloc(32, 2)]);
    expect(c.callbacks.retryScale).toBe(0.001);
    expect(c.suppression.bounceDays).toBe(7);
    expect(c.notices.join('\n')).not.toMatch(/CALLBACK_URL/);
  });

  it('names the bad variable', () => {
    expect(refused({ CALLBACK_URL: 'ftp://x.example' }).variable).toBe('CALLBACK_URL');
    expect(refused({ CALLBACK_URL: 'https://x.example' })).toMatchObject({ variable: 'CALLBACK_SECRETS' });
    expect(refused({ CALLBACK_URL: 'https://x.example', CALLBACK_SECRETS: 'not-a-secret' }).message).toMatch(/whsec_/);
    expect(refused({ CALLBACK_URL: 'https://x.example', CALLBACK_SECRETS: 'whsec_!!!' }).message).toMatch(/base64/);
    expect(refused({ CALLBACK_URL: 'https://x.example', CALLBACK_SECRETS: secret(1, 8) }).message).toMatch(/24 to 64 bytes/);
    expect(refused({ CALLBACK_RETRY_SCALE: '0' }).variable).toBe('CALLBACK_RETRY_SCALE');
    expect(refused({ CALLBACK_RETRY_SCALE: '2' }).variable).toBe('CALLBACK_RETRY_SCALE');
    expect(refused({ SUPPRESSION_BOUNCE_DAYS: '0' }).variable).toBe('SUPPRESSION_BOUNCE_DAYS');
  });

  it('never puts a secret in an error message', () => {
    const bad = `whsec_${Buffer.alloc(70, 9).toString('base64')}`;
    expect(refused({ CALLBACK_URL: 'https://x.example', CALLBACK_SECRETS: `${secret(1)},${bad}` }).message).not.toContain(bad.slice(6, 20));
  });
});
