import { ConfigError, loadConfig } from './index';

describe('OAuth configuration', () => {
  it('offers nothing without client ids, and defaults every endpoint to the real one', () => {
    const c = loadConfig({});
    expect(c.oauth).toEqual({ graphUrl: 'https://graph.microsoft.com', returnHosts: [] });
    expect(c.notices.join('\n')).toMatch(/GOOGLE_OAUTH_CLIENT_ID and MICROSOFT_OAUTH_CLIENT_ID are not set/);
  });

  it('builds each vendor from its id and secret, with its endpoints', () => {
    const c = loadConfig({
      GOOGLE_OAUTH_CLIENT_ID: 'g-id',
      GOOGLE_OAUTH_CLIENT_SECRET: 'g-secret',
      MICROSOFT_OAUTH_CLIENT_ID: 'm-id',
      MICROSOFT_OAUTH_CLIENT_SECRET: 'm-secret',
      MICROSOFT_OAUTH_AUTHORITY: 'organizations',
      MICROSOFT_OAUTH_LOGIN_URL: 'http://127.0.0.1:9999',
      MICROSOFT_GRAPH_URL: 'http://127.0.0.1:9998/',
      OAUTH_RETURN_HOSTS: 'App.Example.com, admin.example.com:8443',
    });
    expect(c.oauth).toEqual({
      google: {
        clientId: 'g-id',
        clientSecret: 'g-secret',
        authUrl: 'https://accounts.google.com/o/oauth2/v2/auth',
        tokenUrl: 'https://oauth2.googleapis.com/token',
      },
      microsoft: { clientId: 'm-id', clientSecret: 'm-secret', authority: 'organizations', loginUrl: 'http://127.0.0.1:9999' },
      graphUrl: 'http://127.0.0.1:9998',
      returnHosts: ['app.example.com', 'admin.example.com:8443'],
    });
    expect(c.notices.join('\n')).not.toMatch(/OAUTH_CLIENT_ID/);
  });

  it('names the variable of a half-configured app or a bad return host', () => {
    const variable = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (e) {
        expect(e).toBeInstanceOf(ConfigError);
        return (e as ConfigError).variable;
      }
      throw new Error('expected a ConfigError');
    };
    expect(variable({ GOOGLE_OAUTH_CLIENT_ID: 'g-id' })).toBe('GOOGLE_OAUTH_CLIENT_SECRET');
    expect(variable({ MICROSOFT_OAUTH_CLIENT_SECRET: 's' })).toBe('MICROSOFT_OAUTH_CLIENT_ID');
    expect(variable({ OAUTH_RETURN_HOSTS: 'https://app.example.com/settings' })).toBe('OAUTH_RETURN_HOSTS');
    expect(variable({ GOOGLE_OAUTH_TOKEN_URL: 'ftp://x' })).toBe('GOOGLE_OAUTH_TOKEN_URL');
    expect(variable({ MICROSOFT_OAUTH_AUTHORITY: 'a/b' })).toBe('MICROSOFT_OAUTH_AUTHORITY');
  });
});
