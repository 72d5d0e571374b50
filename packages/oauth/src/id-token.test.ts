import { IdTokenError, mailboxFromIdToken, readIdTokenClaims } from './id-token';
import { googleVendor, microsoftVendor } from './oauth-vendors';

const jwt = (claims: object) => `e30.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.sig`;
const google = googleVendor({ clientId: 'g-client', clientSecret: 's' });
const microsoft = microsoftVendor({ clientId: 'm-client', clientSecret: 's' });

describe('the mailbox from the id token', () => {
  it("reads Google's email and Microsoft's preferred_username (email when that is not an address)", () => {
    expect(mailboxFromIdToken(google, jwt({ aud: 'g-client', email: 'Ana@acme.test', email_verified: true }))).toBe('Ana@acme.test');
    expect(mailboxFromIdToken(microsoft, jwt({ aud: 'm-client', preferred_username: 'facturas@contoso.test' }))).toBe(
      'facturas@contoso.test',
    );
    expect(mailboxFromIdToken(microsoft, jwt({ aud: 'm-client', preferred_username: '+34600000000', email: 'b@contoso.test' }))).toBe(
      'b@contoso.test',
    );
  });

  it('refuses a token for another client, an unverified Google address, no mailbox, or no JWT', () => {
    expect(() => mailboxFromIdToken(google, jwt({ aud: 'other', email: 'a@acme.test' }))).toThrow(/another client/);
    expect(() => mailboxFromIdToken(google, jwt({ aud: 'g-client', email: 'a@acme.test', email_verified: false }))).toThrow(/not verified/);
    expect(() => mailboxFromIdToken(microsoft, jwt({ aud: ['m-client'], name: 'Ana' }))).toThrow(IdTokenError);
    expect(() => readIdTokenClaims('not-a-jwt')).toThrow(/not a JWT/);
    expect(() => readIdTokenClaims('a.!!!.c')).toThrow(IdTokenError);
  });
});
