import { isAllowedReturnUrl, returnUrlWithOutcome } from './return-url';

describe('return URLs', () => {
  const hosts = ['app.example', 'admin.example:8443'];
  it('allows only listed hosts over http(s), without credentials', () => {
    expect(isAllowedReturnUrl('https://app.example/settings?tab=email', hosts)).toBe(true);
    expect(isAllowedReturnUrl('https://APP.example/x', hosts)).toBe(true);
    expect(isAllowedReturnUrl('https://admin.example:8443/x', hosts)).toBe(true);
    expect(isAllowedReturnUrl('https://admin.example/x', hosts)).toBe(false);
    expect(isAllowedReturnUrl('https://app.example.evil.test/x', hosts)).toBe(false);
    expect(isAllowedReturnUrl('https://evil.test/?next=https://app.example', hosts)).toBe(false);
    expect(isAllowedReturnUrl('https://user:pw@app.example/', hosts)).toBe(false);
    expect(isAllowedReturnUrl('javascript:alert(1)//app.example', hosts)).toBe(false);
    expect(isAllowedReturnUrl('/relative', hosts)).toBe(false);
  });
  it('adds the outcome to the query', () => {
    expect(returnUrlWithOutcome('https://app.example/s?tab=email', { ok: true })).toBe('https://app.example/s?tab=email&oauth=connected');
    expect(returnUrlWithOutcome('https://app.example/s', { ok: false, reason: 'consent_refused' })).toBe(
      'https://app.example/s?oauth=error&reason=consent_refused',
    );
  });
});
