import { refusingPort } from '@mailroom/testkit';
import type { MailboxVendor } from '@mailroom/transports/src/smtp/test-support/mailbox-vendor';
import type { Mailroom } from './mailroom-harness';

/** The webhooks app's address, known before it starts: the OAuth apps at the local vendors register its callback. */
export async function publicBaseUrl(): Promise<{ env: Record<string, string>; url: string; redirectUri: string }> {
  const port = await refusingPort();
  const url = `http://127.0.0.1:${port}`;
  return { env: { WEBHOOKS_PORT: String(port), PUBLIC_BASE_URL: url }, url, redirectUri: `${url}/oauth/callback` };
}

/** The admin's browser at the callback: what the webhooks app answered (a redirect is not followed). */
export async function callback(
  m: Mailroom,
  query: Record<string, string>,
): Promise<{ status: number; location: string | null; body: string }> {
  const res = await fetch(`${m.webhooks.url}/oauth/callback?${new URLSearchParams(query)}`, { redirect: 'manual' });
  return { status: res.status, location: res.headers.get('location'), body: await res.text() };
}

/**
 * A whole connection as a tenant's admin makes it: start (the API), consent at the vendor (its
 * authorize page redirects with a code), the callback. Answers the callback's outcome and the query it had.
 */
export async function connectMailbox(
  m: Mailroom,
  vendor: MailboxVendor,
  tenant: string,
  body: Record<string, unknown> = {},
): Promise<{ status: number; location: string | null; body: string; query: Record<string, string> }> {
  const started = await m.call('POST', `/v1/tenants/${tenant}/email-settings/oauth/${vendor.vendor}/start`, body);
  if (started.status !== 200) throw new Error(`start answered ${started.status}: ${JSON.stringify(started.body)}`);
  const query = await vendor.oauth.consentTo(started.body.authorizeUrl);
  return { ...(await callback(m, query)), query };
}
