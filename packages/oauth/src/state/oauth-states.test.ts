import { randomBytes } from 'node:crypto';
import { connectTestRedis, TestRedis } from '@mailroom/testkit';
import { pkceChallengeOf } from '../pkce';
import { RedisOAuthStateStore } from './oauth-state-store';
import { OAuthStateError, OAuthStates, PendingConnection } from './oauth-states';

const keys = [{ id: 'k1', key: randomBytes(32) }];
const pending: PendingConnection = {
  tenantId: 'tn_acme',
  vendor: 'microsoft',
  via: 'graph',
  returnUrl: 'https://app.example/settings',
  smtp: { port: 587 },
};

async function reason(p: Promise<unknown>): Promise<string> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(OAuthStateError);
  return (e as OAuthStateError).reason;
}

describe('OAuthStates on the real Redis', () => {
  let t: TestRedis;
  let store: RedisOAuthStateStore;
  beforeAll(() => {
    t = connectTestRedis('oauth-states');
    store = new RedisOAuthStateStore(t.redis, t.prefix);
  });
  afterAll(() => t.close());

  it('gives back the pending connection and the PKCE verifier of the challenge, once', async () => {
    const states = new OAuthStates({ keys, store });
    const issued = await states.issue(pending);
    const redeemed = await states.redeem(issued.state);
    expect(redeemed).toEqual({ ...pending, codeVerifier: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/) });
    expect(pkceChallengeOf(redeemed.codeVerifier)).toBe(issued.codeChallenge);
    expect(await reason(states.redeem(issued.state))).toBe('used');
  });

  it('lets one of two simultaneous callbacks with the same state through', async () => {
    const states = new OAuthStates({ keys, store });
    const { state } = await states.issue(pending);
    const outcomes = await Promise.allSettled([
      states.redeem(state),
      new OAuthStates({ keys, store: new RedisOAuthStateStore(t.another(), t.prefix) }).redeem(state),
    ]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(['fulfilled', 'rejected']);
  });

  it('keeps the verifier out of the state and sealed in Redis', async () => {
    const states = new OAuthStates({ keys, store });
    const issued = await states.issue(pending);
    const stored = await t.redis.keys(`${t.prefix}oauth:state:*`);
    const raw = (await Promise.all(stored.map((k) => t.redis.get(k)))).join('\n');
    const { codeVerifier } = await states.redeem(issued.state);
    expect(issued.state).not.toContain(codeVerifier);
    expect(raw).not.toContain(codeVerifier);
    expect(raw).toContain('"tenantId":"tn_acme"');
  });

  it('refuses a forged, tampered or foreign-key state without touching the store', async () => {
    const states = new OAuthStates({ keys, store });
    const { state } = await states.issue(pending);
    const [body, kid, mac] = state.split('.');
    const claims = JSON.parse(Buffer.from(body, 'base64url').toString());
    const otherTenant = Buffer.from(JSON.stringify({ ...claims, t: 'tn_evil' })).toString('base64url');
    expect(await reason(states.redeem(`${otherTenant}.${kid}.${mac}`))).toBe('forged');
    expect(await reason(states.redeem('garbage'))).toBe('forged');
    const foreign = new OAuthStates({ keys: [{ id: 'k1', key: randomBytes(32) }], store });
    expect(await reason(foreign.redeem(state))).toBe('forged');
    // The genuine state still works: the forgeries consumed nothing.
    await expect(states.redeem(state)).resolves.toMatchObject({ tenantId: 'tn_acme' });
  });

  it('refuses a state older than 10 minutes', async () => {
    let clock = Date.now();
    const states = new OAuthStates({ keys, store, now: () => clock });
    const { state, expiresAt } = await states.issue(pending);
    expect(expiresAt - clock).toBe(600_000);
    expect(await t.redis.pttl((await t.redis.keys(`${t.prefix}oauth:state:*`))[0])).toBeGreaterThan(590_000);
    clock += 600_001;
    expect(await reason(states.redeem(state))).toBe('expired');
  });

  it('binds the record to the tenant the state names', async () => {
    const states = new OAuthStates({ keys, store });
    const { state } = await states.issue(pending);
    const nonce = JSON.parse(Buffer.from(state.split('.')[0], 'base64url').toString()).n as string;
    const key = `${t.prefix}oauth:state:${nonce}`;
    const record = JSON.parse((await t.redis.get(key))!);
    await t.redis.set(key, JSON.stringify({ ...record, tenantId: 'tn_other' }), 'PX', 60_000);
    expect(await reason(states.redeem(state))).toBe('forged');
  });
});
