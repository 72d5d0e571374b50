import { Tenant } from '@mailroom/domain';
import { isAllowedReturnUrl, OAuthConnectError, OAuthVendorName, OAuthVia } from '@mailroom/oauth';
import { DeadlineExceededError } from '@mailroom/runtime';
import { z } from 'zod';
import { isoTime } from '../openapi/answer-fields';
import type { ApiDeps } from '../api-deps';
import { HttpError } from '../http/http-error';
import { asHttpError, assertSmtpAllowed } from './save-settings';

/** The start's 200: where to send the admin's browser, and until when that link works. */
export const oauthStartAnswerSchema = z.strictObject({ authorizeUrl: z.string(), expiresAt: isoTime });

export interface StartOAuthInput {
  returnUrl?: string;
  via?: OAuthVia;
  host?: string;
  port?: number;
  tls?: boolean;
}

/**
 * `POST .../email-settings/oauth/{vendor}/start`: where to send the tenant's admin to connect its
 * mailbox. The same gates as a save (the plan, the SMTP host's SSRF guard), a return URL only to a
 * host in OAUTH_RETURN_HOSTS, then a signed single-use state with its PKCE verifier kept in Redis
 * (10 minutes), within the request's Redis budget. Nothing is saved until the callback.
 */
export async function startOAuthConnection(
  deps: ApiDeps,
  tenant: Tenant,
  vendor: OAuthVendorName,
  input: StartOAuthInput,
): Promise<z.input<typeof oauthStartAnswerSchema>> {
  const module = deps.providers.oauthModule();
  if (!module || !deps.oauth.offered().includes(vendor))
    throw new HttpError(404, 'oauth_not_offered', `connecting a mailbox with ${vendor} is not offered on this platform`);
  if (module.mode === 'smtp') assertSmtpAllowed(deps, tenant);
  if (input.returnUrl !== undefined && !isAllowedReturnUrl(input.returnUrl, deps.config.oauth.returnHosts)) {
    const message = 'returnUrl must be an http(s) URL on a host the platform allows (OAUTH_RETURN_HOSTS)';
    throw new HttpError(400, 'return_url_not_allowed', `returnUrl: ${message}`, [{ field: 'returnUrl', message }]);
  }
  const via = input.via ?? 'smtp';
  const server = { host: input.host, port: input.port, tls: input.tls };
  const hasServer = Object.values(server).some((v) => v !== undefined);
  await asHttpError(async () =>
    module.oauth.vet?.(
      { vendor, via, ...(hasServer ? { server } : {}) },
      { tenantId: tenant.id, smtpHosts: deps.smtpHosts, config: deps.config, logger: deps.logger },
    ),
  );
  try {
    // Redis keeps the state: every call bounded by REDIS_REQUEST_TIMEOUT_MS (createOAuthConnector).
    const started = await deps.oauth.start({
      tenantId: tenant.id,
      vendor,
      via,
      ...(input.returnUrl ? { returnUrl: input.returnUrl } : {}),
      ...(hasServer ? { smtp: server } : {}),
    });
    deps.logger.info({ tenantId: tenant.id, vendor, via }, 'mailbox connection started');
    return { authorizeUrl: started.authorizeUrl, expiresAt: new Date(started.expiresAt).toISOString() };
  } catch (e) {
    if (e instanceof OAuthConnectError) throw new HttpError(400, e.code, e.message, [{ field: 'via', message: e.message }]);
    // The state is the only I/O here: Redis not answering in time, or refusing while it is away.
    deps.logger.warn(
      { tenantId: tenant.id, err: (e as Error).message, timedOut: e instanceof DeadlineExceededError },
      'OAuth state store unavailable',
    );
    throw new HttpError(
      503,
      'oauth_state_unavailable',
      'the connection cannot be started right now (Redis is not answering); try again in a moment',
    );
  }
}
