export * from './oauth-server';
export * from './oauth-server-context';
export * from './oauth-flavours';
export type { AccessTokenOwner, OAuthTestUser } from './oauth-grant-book';
