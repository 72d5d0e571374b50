/**
 * Where an OAuth2 transport gets its mailbox's access token, at each send (in the worker: the
 * AccessTokenManager of @mailroom/oauth, bound to the tenant's stored grant). It hands out a token
 * good for a few more minutes, refreshing it first if needed. `rejected`: a token the server just
 * refused, so a newer one is wanted even if it looks fresh.
 *
 * Throws DeliveryErrors: `oauth_reconnect_required` (permanent) when the vendor refused the refresh
 * (invalid_grant), `oauth_unavailable` (retryable) when the vendor could not be reached.
 */
export interface AccessTokenSource {
  getAccessToken(options?: { rejected?: string }): Promise<string>;
}
