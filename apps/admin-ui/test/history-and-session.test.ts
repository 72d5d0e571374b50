import { createI18n, pickLanguage } from '../src/i18n/i18n';
import { apiFilters, dayStart, filtersFromSearch } from '../src/history/history-query';
import { matchRoute, href } from '../src/router';
import { parseFragment, takeSession } from '../src/session/session';

describe('the token in the fragment', () => {
  it('is read from #token=...&tenant=..., and both are needed', () => {
    expect(parseFragment('#token=abc.def&tenant=acme')).toEqual({ token: 'abc.def', tenantId: 'acme' });
    expect(parseFragment('#token=abc')).toBeNull();
    expect(parseFragment('')).toBeNull();
  });

  it('leaves the address bar at once and is kept for this tab only', () => {
    const store = new Map<string, string>();
    const replaced: string[] = [];
    const win = {
      location: { hash: '#token=t1&tenant=acme', pathname: '/ui/history', search: '?lang=en' },
      history: { state: null, replaceState: (_s: unknown, _t: string, url: string) => replaced.push(url) },
      sessionStorage: {
        getItem: (k: string) => store.get(k) ?? null,
        setItem: (k: string, v: string) => store.set(k, v),
        removeItem: (k: string) => store.delete(k),
      },
    } as any;
    expect(takeSession(win)).toEqual({ token: 't1', tenantId: 'acme' });
    expect(replaced).toEqual(['/ui/history?lang=en']);
    // A reload: no fragment any more, the tab's copy answers.
    win.location.hash = '';
    expect(takeSession(win)).toEqual({ token: 't1', tenantId: 'acme' });
    expect(replaced).toHaveLength(1);
  });
});

describe('language', () => {
  it('?lang wins, then the browser (es-* is Spanish), then Spanish', () => {
    expect(pickLanguage('?lang=en', ['es-ES'])).toBe('en');
    expect(pickLanguage('', ['es-MX', 'en'])).toBe('es');
    expect(pickLanguage('', ['fr-FR', 'en-GB'])).toBe('en');
    expect(pickLanguage('', ['de'])).toBe('es');
  });

  it('names the plans and lists them in the language chosen', () => {
    const es = createI18n('es', ['es-ES']);
    expect(es.t('settings.mode.unavailable.plans', { plans: es.list(['Avanzado', 'Premium']) })).toBe(
      'Disponible en los planes Avanzado y Premium.',
    );
    const en = createI18n('en', ['en-GB']);
    expect(en.t('settings.mode.unavailable.plans', { plans: en.list(['Advanced', 'Premium']) })).toBe(
      'Available on the Advanced and Premium plans.',
    );
    // A key without a string (a status added later) falls back to the raw value.
    expect(en.tOr('status.a_future_status', 'a_future_status')).toBe('a_future_status');
    expect(en.tOr('status.suppressed', 'suppressed')).toBe('Not sent: address on the suppression list');
  });
});

describe('history filters and routes', () => {
  it('turns the filter form into the API query: days become instants, until is the next day (exclusive)', () => {
    const f = filtersFromSearch('?status=failed&documentId=inv_42&since=2026-03-01&until=2026-03-31&lang=es');
    expect(f).toEqual({
      documentType: '',
      documentId: 'inv_42',
      recipient: '',
      status: 'failed',
      since: '2026-03-01',
      until: '2026-03-31',
    });
    const q = apiFilters(f);
    expect(q).toEqual({
      documentType: undefined,
      documentId: 'inv_42',
      recipient: undefined,
      status: 'failed',
      since: dayStart('2026-03-01'),
      until: dayStart('2026-04-01'),
    });
    expect(new Date(q.until!).getTime() - new Date(dayStart('2026-03-31')!).getTime()).toBeGreaterThanOrEqual(23 * 3600 * 1000);
    expect(dayStart('31/03/2026')).toBeUndefined();
  });

  it('knows every screen under /ui/ and keeps the language when moving', () => {
    expect(matchRoute('/ui/')).toEqual({ name: 'settings' });
    expect(matchRoute('/ui')).toEqual({ name: 'settings' });
    expect(matchRoute('/ui/history')).toEqual({ name: 'history' });
    expect(matchRoute('/ui/emails/em_1')).toEqual({ name: 'email', id: 'em_1' });
    expect(matchRoute('/ui/documents/invoice/F%2F2026-1')).toEqual({ name: 'document', type: 'invoice', id: 'F/2026-1' });
    expect(matchRoute('/ui/nope/x')).toEqual({ name: 'notFound' });
    expect(href('/history', { status: 'failed', recipient: undefined }, '?lang=en&status=x')).toBe('/ui/history?lang=en&status=failed');
  });
});
