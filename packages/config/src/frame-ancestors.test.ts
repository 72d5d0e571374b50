import { ConfigError, loadConfig } from './index';

describe('UI_FRAME_ANCESTORS', () => {
  const ancestors = (v?: string) => loadConfig(v === undefined ? {} : { UI_FRAME_ANCESTORS: v }).ui.frameAncestors;

  it("defaults to 'self' and quotes the keywords CSP needs quoted", () => {
    expect(ancestors()).toBe("'self'");
    expect(ancestors('self https://app.example.com')).toBe("'self' https://app.example.com");
    expect(ancestors("'self', https://*.example.com:8443")).toBe("'self' https://*.example.com:8443");
    expect(ancestors('none')).toBe("'none'");
  });

  it('refuses what could end the CSP directive or is no source at all, naming the variable', () => {
    for (const bad of [
      "https://a.example; script-src 'unsafe-inline'",
      'javascript:alert(1)',
      'none self',
      '   ',
      'https://a.example/"x',
    ]) {
      expect(() => ancestors(bad)).toThrow(ConfigError);
      try {
        ancestors(bad);
      } catch (e) {
        expect((e as ConfigError).variable).toBe('UI_FRAME_ANCESTORS');
      }
    }
  });
});
