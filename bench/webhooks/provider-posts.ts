import type { EmailRecord, ProviderName } from '@mailroom/domain';
import {
  buildMailgunWebhookPost,
  mailgunEvents,
  mailjetEvents,
  sendgridEvents,
  stringifyWithRawBigints,
  type EmulatedEventWebhook,
} from '@mailroom/testkit';
import { httpPoster } from '../support/http-post';

/** The providers' own clients are not Mailroom's cost: node:http on a keep-alive agent (bench/support/http-post.ts). */
const client = httpPoster(64);
const post = async (url: string, headers: Record<string, string>, body: Buffer): Promise<{ status: number }> => ({
  status: (await client.post(url, headers, body)).status,
});

/** One signed post as the provider would send it, built before the clock starts (signing is the provider's cost). */
export interface ProviderPost {
  events: number;
  /** The raw body, for the baseline (parsed with the same parser the receiver uses). */
  rawBody: Buffer;
  send(): Promise<{ status: number }>;
}

export interface PostTargets {
  sendgrid: EmulatedEventWebhook;
  mailgunSigningKey: string;
  /** Mailjet's callback URL with its Basic credentials (as registered). */
  mailjetUrl: string;
}

/** An email as the worker leaves it once the provider took it: accepted, waiting for the provider's events. */
export function acceptedEmail(tenantId: string, id: string, provider: ProviderName, at: string): EmailRecord {
  const to = `client-${id}@customer.example`;
  return {
    id,
    tenantId,
    status: 'accepted',
    subject: `Invoice ${id}`,
    document: { type: 'invoice', id: `doc-${id}` },
    from: { email: `billing@${tenantId}.example` },
    to: [{ email: to }],
    cc: [],
    bcc: [],
    transport: { mode: 'provider', provider },
    messageId: `<${id}@${tenantId}.example>`,
    providerMessageId: `pm-${id}`,
    recipients: [{ email: to, kind: 'to', status: 'accepted', updatedAt: at }],
    attempts: [{ at, ok: true, durationMs: 120 }],
    events: [
      { type: 'queued', at, key: 'api:queued', source: 'api' },
      { type: 'sending', at, key: 'worker:sending:1', source: 'worker' },
      { type: 'accepted', at, key: 'worker:accepted:1', source: 'worker' },
    ],
    opens: { count: 0, machineCount: 0 },
    finalAt: at,
    test: false,
    hasHtml: true,
    attachmentCount: 1,
    createdAt: at,
    updatedAt: at,
  };
}

const chunks = <T>(xs: T[], size: number) =>
  Array.from({ length: Math.ceil(xs.length / size) }, (_, i) => xs.slice(i * size, (i + 1) * size));
const human = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36';

/**
 * Two events per email (delivered, then a person's open), in each provider's own shape: SendGrid's
 * signed batches of `batch`, Mailgun's one signed event per post, Mailjet's grouped posts of `batch`.
 */
export function providerPosts(provider: ProviderName, url: string, emails: EmailRecord[], t: PostTargets, batch: number): ProviderPost[] {
  if (provider === 'sendgrid') {
    const events = emails.flatMap((e) => {
      const target = {
        email: e.to[0].email,
        messageId: e.providerMessageId,
        customArgs: { mailroom_email_id: e.id, mailroom_tenant_id: e.tenantId },
      };
      return [sendgridEvents.delivered(target), sendgridEvents.open(target, { machine: false, useragent: human })];
    });
    return chunks(events, batch).map((group) => {
      const signed = t.sendgrid.sign(group);
      return { events: group.length, rawBody: signed.rawBody, send: () => post(url, signed.headers, signed.rawBody) };
    });
  }
  if (provider === 'mailgun') {
    return emails.flatMap((e) => {
      const target = {
        recipient: e.to[0].email,
        messageId: `${e.providerMessageId}@mg.bench.example`,
        userVariables: { mailroom_email_id: e.id, mailroom_tenant_id: e.tenantId },
      };
      return [mailgunEvents.delivered(target), mailgunEvents.opened(target)].map((data) => {
        const signed = buildMailgunWebhookPost(t.mailgunSigningKey, data);
        const headers = { 'content-type': 'application/json', 'user-agent': 'mailgun/treq-16.12.0' };
        return { events: 1, rawBody: signed.body, send: () => post(url, headers, signed.body) };
      });
    });
  }
  const events = emails.flatMap((e) => {
    const target = { email: e.to[0].email, customId: e.id, payload: JSON.stringify({ emailId: e.id, tenantId: e.tenantId }) };
    return [mailjetEvents.sent(target), mailjetEvents.open(target)];
  });
  // The Basic credentials registered with Mailjet, posted to `url` (the app measured), not to the
  // registered URL's host (decision 0041: that was the bench process's own in-process app).
  const registered = new URL(t.mailjetUrl);
  const authorization = `Basic ${Buffer.from(`${decodeURIComponent(registered.username)}:${decodeURIComponent(registered.password)}`).toString('base64')}`;
  return chunks(events, batch).map((group) => {
    const rawBody = Buffer.from(stringifyWithRawBigints(group));
    return {
      events: group.length,
      rawBody,
      send: () => post(url, { 'content-type': 'application/json', authorization }, rawBody),
    };
  });
}
