import type { Session } from '../session/session';
import type {
  EmailRecord,
  HistoryFilters,
  HistoryPage,
  OAuthVendor,
  SettingsAnswer,
  Suppression,
  SuppressionFilters,
  SuppressionPage,
  TenantAnswer,
  TestEmailAnswer,
} from './types';

export interface FieldProblem {
  field: string;
  message: string;
}

/** The API's `{ error: { code, message, details? } }`, with the HTTP status. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: FieldProblem[] = [],
  ) {
    super(message);
  }
}

/** 401: the token expired or is unknown. The screens say so and ask the platform to reopen them. */
export class SessionExpiredError extends ApiError {}

/**
 * The only thing the screens talk to: the /v1 API on this origin, with the tenant token as Bearer.
 * Each route is one small method here, so new routes (retry, cancel, suppressions...) are one line.
 */
export class ApiClient {
  constructor(
    private readonly session: Session,
    private readonly onExpired: () => void,
    private readonly fetchImpl: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  get tenantId(): string {
    return this.session.tenantId;
  }

  private tenantPath(rest: string): string {
    return `/v1/tenants/${encodeURIComponent(this.session.tenantId)}${rest}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    return (await this.exchange<T>(method, path, body)).body;
  }

  /** The answer's body with its status, for the routes whose 200 and 201 mean different things. */
  private async exchange<T>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.session.token}`, accept: 'application/json' };
    if (body !== undefined) headers['content-type'] = 'application/json';
    let res: Response;
    try {
      res = await this.fetchImpl(path, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: 'omit',
        cache: 'no-store',
      });
    } catch (e) {
      throw new ApiError(0, 'network', (e as Error).message);
    }
    const text = await res.text();
    const json = text ? safeJson(text) : undefined;
    if (res.ok) return { status: res.status, body: json as T };
    const err = (json as { error?: { code?: string; message?: string; details?: unknown } } | undefined)?.error;
    const details = Array.isArray(err?.details) ? (err!.details as FieldProblem[]).filter((d) => d && typeof d.field === 'string') : [];
    if (res.status === 401) {
      this.onExpired();
      throw new SessionExpiredError(401, err?.code ?? 'unauthenticated', err?.message ?? 'unauthenticated');
    }
    throw new ApiError(res.status, err?.code ?? `http_${res.status}`, err?.message ?? res.statusText, details);
  }

  /** The tenant as the platform stored it (its contact `email` is where a platform-mode test email goes). */
  getTenant(): Promise<TenantAnswer> {
    return this.request('GET', this.tenantPath(''));
  }

  getSettings(): Promise<SettingsAnswer> {
    return this.request('GET', this.tenantPath('/email-settings'));
  }

  saveSettings(body: unknown): Promise<SettingsAnswer> {
    return this.request('PUT', this.tenantPath('/email-settings'), body);
  }

  /** `{}` tests the saved settings; a settings body tests that draft without saving it. Written in `language`. */
  sendTestEmail(draft: unknown, language: 'en' | 'es'): Promise<TestEmailAnswer> {
    return this.request('POST', this.tenantPath(`/email-settings/test?language=${language}`), draft ?? {});
  }

  /** Where to send the admin to connect the mailbox: `{ authorizeUrl }` (the vendor sends the browser back to `returnUrl`). */
  startOAuth(
    vendor: OAuthVendor,
    body: { returnUrl?: string; via?: 'smtp' | 'graph'; host?: string; port?: number; tls?: boolean },
  ): Promise<{ authorizeUrl: string; expiresAt: string }> {
    return this.request('POST', this.tenantPath(`/email-settings/oauth/${vendor}/start`), body);
  }

  listEmails(filters: HistoryFilters, cursor?: string, limit = 25): Promise<HistoryPage> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    return this.request('GET', this.tenantPath(`/emails?${q}`));
  }

  getEmail(id: string): Promise<EmailRecord> {
    return this.request('GET', this.tenantPath(`/emails/${encodeURIComponent(id)}`));
  }

  /** An email not yet accepted (queued, deferred) is stopped: 200 with the email; 409 for any other status. */
  cancelEmail(id: string): Promise<EmailRecord> {
    return this.request('POST', this.tenantPath(`/emails/${encodeURIComponent(id)}/cancel`));
  }

  listSuppressions(filters: SuppressionFilters, cursor?: string, limit = 50): Promise<SuppressionPage> {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(filters)) if (v) q.set(k, v);
    q.set('limit', String(limit));
    if (cursor) q.set('cursor', cursor);
    return this.request('GET', this.tenantPath(`/suppressions?${q}`));
  }

  /** Added by hand (201, `added`); an address already on the list keeps its entry (200, `added: false`). */
  async addSuppression(address: string, note?: string): Promise<{ added: boolean; entry: Suppression }> {
    const answer = await this.exchange<Suppression>('POST', this.tenantPath('/suppressions'), { address, ...(note ? { note } : {}) });
    return { added: answer.status === 201, entry: answer.body };
  }

  /** The address is sent to again (204; 404 when it was not on the list). */
  removeSuppression(address: string): Promise<void> {
    return this.request('DELETE', this.tenantPath(`/suppressions/${encodeURIComponent(address)}`));
  }

  /** A failed email gets a new attempt (202 `{ id, status: "queued" }`; 409 for any other status). */
  retryEmail(id: string): Promise<{ id: string; status: string }> {
    return this.request('POST', this.tenantPath(`/emails/${encodeURIComponent(id)}/retry`));
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
