import { RunningSmtpSink, SmtpSinkOptions, startSmtpSink } from '@mailroom/testkit';
import type { Mailroom } from './mailroom-harness';

/** The account a tenant's own SMTP server takes: the From address and the AUTH user are the same. */
export interface SmtpLogin {
  user: string;
  password: string;
}

/** A tenant's own SMTP server: STARTTLS, AUTH for `login`; `options` add behaviour (replies, delays). */
export function startTenantSink(login: SmtpLogin, options: SmtpSinkOptions = {}): Promise<RunningSmtpSink> {
  return startSmtpSink({ tls: 'starttls', auth: { users: { [login.user]: login.password } }, ...options });
}

export interface SmtpTenantOptions {
  /** The tenant's display name and sender name; the id by default. */
  name?: string;
  plan?: string;
  /** More of the tenant's fields (its contact email). */
  tenant?: Record<string, unknown>;
  /** More email-settings fields (limits, bcc, a sender name of its own). */
  settings?: Record<string, unknown>;
}

/**
 * Puts `tenant` (premium unless `plan` says otherwise) on its own SMTP server at `sink`, signing in as
 * `login`, as a tenant's admin does with the "other" preset; fails the test unless the settings were
 * saved. Answers the saved settings.
 */
export async function putSmtpTenant(
  m: Mailroom,
  tenant: string,
  sink: RunningSmtpSink,
  login: SmtpLogin,
  options: SmtpTenantOptions = {},
): Promise<{ status: number; body: any }> {
  const name = options.name ?? tenant;
  const created = await m.call('PUT', `/v1/tenants/${tenant}`, { name, plan: options.plan ?? 'premium', ...options.tenant });
  expect(created.status).toBeLessThan(300);
  const saved = await m.call('PUT', `/v1/tenants/${tenant}/email-settings`, {
    mode: 'smtp',
    senderName: name,
    smtp: {
      preset: 'other',
      fromAddress: login.user,
      username: login.user,
      password: login.password,
      host: '127.0.0.1',
      port: sink.port,
      tls: false,
    },
    ...options.settings,
  });
  expect(saved.status).toBe(200);
  return saved;
}

/** A tenant on the premium plan sending through a fresh STARTTLS + AUTH sink of its own. */
export async function tenantOnSmtpSink(m: Mailroom, tenant: string): Promise<RunningSmtpSink> {
  const login = { user: `u@${tenant}.example`, password: `pw-${tenant}-test` };
  const sink = await startTenantSink(login);
  await putSmtpTenant(m, tenant, sink, login);
  return sink;
}
