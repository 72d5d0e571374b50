import { Mailroom, startMailroom } from '../support/mailroom-harness';

/** What the API answers under /ui/, as a browser or a proxy sees it. */
describe('the admin screens as served by the API', () => {
  let m: Mailroom;
  beforeAll(async () => {
    m = await startMailroom({ UI_FRAME_ANCESTORS: 'self https://app.example.com' }, { worker: false });
    await m.call('PUT', '/v1/tenants/basic-co', { name: 'Basic Co', plan: 'basic' });
    await m.call('PUT', '/v1/tenants/prem-co', { name: 'Prem Co', plan: 'premium' });
  });
  afterAll(() => m.stop());

  const get = (path: string, headers: Record<string, string> = {}) => fetch(m.api.url + path, { headers, redirect: 'manual' });

  it('serves the page with a CSP that allows only its own files, frames from UI_FRAME_ANCESTORS, and no caching of index.html', async () => {
    const r = await get('/ui/');
    expect(r.status).toBe(200);
    expect(r.headers.get('content-type')).toMatch(/^text\/html/);
    const csp = r.headers.get('content-security-policy')!;
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'self' https://app.example.com");
    expect(csp).not.toMatch(/unsafe-inline|unsafe-eval/);
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
    expect(r.headers.get('referrer-policy')).toBe('no-referrer');
    expect(r.headers.get('cache-control')).toBe('no-cache');
    const html = await r.text();
    // No inline script: every <script> has a src under /ui/assets/.
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs, body] of scripts) {
      expect(attrs).toMatch(/src="\/ui\/assets\/[^"]+\.js"/);
      expect(body.trim()).toBe('');
    }
    expect(html).not.toMatch(/https?:\/\//);
  });

  it('answers index.html for client routes, so a reload or a link lands on the screen', async () => {
    for (const path of ['/ui', '/ui/history', '/ui/emails/em_0000', '/ui/documents/invoice/F-2026-0042']) {
      const r = await get(path);
      expect([path, r.status, r.headers.get('content-type')]).toEqual([path, 200, expect.stringMatching(/^text\/html/)]);
      expect(await r.text()).toContain('<div id="app">');
    }
  });

  it('caches hashed assets for a year, and answers 404 (not the page) for a missing one', async () => {
    const html = await (await get('/ui/')).text();
    const js = /src="(\/ui\/assets\/[^"]+\.js)"/.exec(html)![1];
    const asset = await get(js);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-security-policy')).toBeTruthy();
    const missing = await get('/ui/assets/index-nothere.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^text\/plain/);
  });

  it('leaves the API alone: /v1 still needs a token, and nothing under /ui takes one', async () => {
    expect((await get('/v1/tenants/basic-co/email-settings')).status).toBe(401);
    expect((await fetch(`${m.api.url}/ui/`, { method: 'POST' })).status).toBe(404);
  });

  it('says in the settings answer which modes the plan allows and which plans allow SMTP', async () => {
    await m.call('PUT', '/v1/tenants/basic-co/email-settings', { mode: 'platform', senderName: 'Basic Co', replyTo: 'hi@basic.example' });
    const basic = await m.call('GET', '/v1/tenants/basic-co/email-settings');
    expect(basic.body).toMatchObject({ plan: 'basic', allowedModes: ['platform', 'provider'], smtpPlans: ['advanced', 'premium'] });
    const saved = await m.call('PUT', '/v1/tenants/prem-co/email-settings', {
      mode: 'platform',
      senderName: 'Prem Co',
      replyTo: 'hi@prem.example',
    });
    expect(saved.body).toMatchObject({ plan: 'premium', allowedModes: ['platform', 'smtp', 'provider'] });
  });
});
