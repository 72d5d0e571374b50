import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { secretContext } from '@mailroom/domain';
import { SecretBox } from '@mailroom/security';
import { refusingPort, RunningSmtpSink, startSmtpSink } from '@mailroom/testkit';
import { PROVIDERS } from '@mailroom/transports';
import { ENCRYPTION_KEYS, Mailroom, startMailroom } from './support/mailroom-harness';

const ROOT = path.resolve(__dirname, '..');
const key = (id: string, fill: number) => ({ id, key: Buffer.alloc(32, fill) });
const K1 = key('k1', 7); // the harness's key
const K2 = key('k2', 9);
const K0 = key('k0', 3); // a key nobody configures any more
const asEnv = (...keys: { id: string; key: Buffer }[]) => keys.map((k) => `${k.id}:${k.key.toString('base64')}`).join(',');
const SECRETS = [
  'pw-reseal-smtp',
  'mj-private-0001',
  'mj-public-0001',
  'mj-basic-pass-01',
  'SG.reseal.private.key',
  'MFkwEwYHKoZIzj0pasted',
];

/** `pnpm reseal`, as an operator runs it: its own process, the apps' environment with other keys. */
function reseal(m: Mailroom, keys: string) {
  const r = spawnSync(process.execPath, ['--import', 'tsx', path.join(ROOT, 'apps/api/src/reseal-main.ts')], {
    cwd: ROOT,
    env: { ...process.env, ...m.env, ENCRYPTION_KEYS: keys },
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

describe('pnpm reseal: retiring an old encryption key', () => {
  let m: Mailroom;
  let sink: RunningSmtpSink;
  beforeAll(async () => {
    expect(ENCRYPTION_KEYS).toBe(asEnv(K1));
    const nowhere = `http://127.0.0.1:${await refusingPort()}`;
    m = await startMailroom({ SENDGRID_API_URL: nowhere, MAILJET_API_URL: nowhere.replace('http:', 'https:') }, { worker: false });
    sink = await startSmtpSink({ tls: 'starttls', auth: { users: { 'b@rs.example': SECRETS[0] } } });
    const put = async (tenant: string, plan: string, settings: object) => {
      await m.call('PUT', `/v1/tenants/${tenant}`, { name: tenant, plan });
      expect((await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, settings)).status).toBe(200);
    };
    await put('rs-smtp', 'premium', {
      mode: 'smtp',
      senderName: 'RS',
      smtp: {
        preset: 'other',
        fromAddress: 'b@rs.example',
        username: 'b@rs.example',
        password: SECRETS[0],
        host: '127.0.0.1',
        port: sink.port,
        tls: false,
      },
    });
    await put('rs-mj', 'free', {
      mode: 'provider',
      senderName: 'RS',
      provider: {
        name: 'mailjet',
        fromAddress: 'b@rs.example',
        privateApiKey: SECRETS[1],
        publicApiKey: SECRETS[2],
        webhookVerificationKey: SECRETS[3],
      },
    });
    await put('rs-sg', 'free', {
      mode: 'provider',
      senderName: 'RS',
      provider: { name: 'sendgrid', fromAddress: 'b@rs.example', privateApiKey: SECRETS[4], webhookVerificationKey: SECRETS[5] },
    });
    await put('rs-plat', 'free', { mode: 'platform', senderName: 'RS', replyTo: 'b@rs.example' });
  });
  afterAll(async () => {
    await m.stop();
    await sink.close();
  });

  /** Every sealed value of the four tenants, opened with `box` (throws if one does not open). */
  async function openAll(box: SecretBox): Promise<string[]> {
    const out: string[] = [];
    for (const tenant of ['rs-smtp', 'rs-mj', 'rs-sg', 'rs-plat']) {
      const s = (await m.api.deps.store.settings.get(tenant))!;
      for (const f of PROVIDERS.sealedFields(s)) {
        const sealed = f.get(s);
        if (sealed) out.push(box.open(sealed, secretContext(tenant, f.field)));
      }
    }
    return out.sort();
  }

  it('re-seals every secret with the first key while the apps run; then the old key can go; running again changes nothing', async () => {
    expect(await openAll(new SecretBox([K1]))).toEqual([...SECRETS].sort());
    await expect(openAll(new SecretBox([K2]))).rejects.toThrow(/unknown key "k1"/);

    const first = reseal(m, asEnv(K2, K1));
    expect(first).toMatchObject({ status: 0 });
    expect(first.out).toMatch(/^4 tenants with settings checked$/m);
    expect(first.out).toMatch(/^6 secrets re-sealed with key "k2"$/m);
    expect(first.out).toMatch(/^0 secrets already on key "k2"$/m);
    for (const secret of SECRETS) expect(first.out).not.toContain(secret);

    expect(await openAll(new SecretBox([K2]))).toEqual([...SECRETS].sort());
    const versions = await Promise.all(['rs-smtp', 'rs-mj'].map(async (t) => (await m.api.deps.store.settings.get(t))!.version));
    expect(versions).toEqual([1, 1]);

    const again = reseal(m, asEnv(K2, K1));
    expect(again.status).toBe(0);
    expect(again.out).toMatch(/^0 secrets re-sealed with key "k2"$/m);
    expect(again.out).toMatch(/^6 secrets already on key "k2"$/m);
  });

  it('with the old key gone, the apps work on the new key alone', async () => {
    const m2 = await startMailroom({ DATA_DIR: m.dataDir, ENCRYPTION_KEYS: asEnv(K2) }, { worker: false });
    try {
      const test = await m2.call('POST', '/v1/tenants/rs-smtp/email-settings/test', {});
      expect(test.body).toMatchObject({ ok: true, to: 'b@rs.example' });
      expect(await sink.waitForMessages(1)).toHaveLength(1);
    } finally {
      await m2.api.stop();
      await m2.webhooks.stop();
      await m2.dns.close();
    }
  });

  it('names a secret that no configured key opens, by tenant and field, and exits non-zero', async () => {
    const lost = new SecretBox([K0]).seal('lost-password', secretContext('rs-smtp', 'smtp.password'));
    await m.api.deps.store.settings.update('rs-smtp', (s) => ({ ...s, smtp: { ...s.smtp!, password: lost } }));
    const r = reseal(m, asEnv(K2, K1));
    expect(r.status).toBe(1);
    expect(r.out).toMatch(/cannot open: tenant rs-smtp, field smtp\.password \(sealed with key "k0"/);
    expect(r.out).toMatch(/^5 secrets already on key "k2"$/m);
    expect(r.out).not.toContain('lost-password');
    expect((await m.api.deps.store.settings.get('rs-smtp'))!.smtp!.password).toBe(lost);
  });
});
