import { createI18n } from '../src/i18n/i18n';
import { href, matchRoute, paths } from '../src/router';
import { apiSuppressionFilters, SUPPRESSION_REASONS, suppressionSearchFrom } from '../src/suppressions/suppression-query';

describe('the suppression list screen: its address and search', () => {
  it('has its own route, and keeps the language in its links', () => {
    expect(matchRoute('/ui/suppressions')).toEqual({ name: 'suppressions' });
    expect(href(paths.suppressions(), { address: 'client@', reason: '' }, '?lang=en')).toBe('/ui/suppressions?lang=en&address=client%40');
  });

  it('reads the search from the address and asks the API by prefix and reason; an unknown reason is ignored', () => {
    const s = suppressionSearchFrom('?address=%20Client@Example&reason=complaint&lang=es');
    expect(s).toEqual({ address: ' Client@Example', reason: 'complaint' });
    expect(apiSuppressionFilters(s)).toEqual({ addressPrefix: 'client@example', reason: 'complaint' });
    expect(apiSuppressionFilters({ address: '  ', reason: 'nonsense' })).toEqual({});
  });

  it('names every reason in both languages', () => {
    expect(SUPPRESSION_REASONS).toEqual(['hard_bounce', 'smtp_rejected', 'complaint', 'manual']);
    for (const lang of ['es', 'en'] as const) {
      const i18n = createI18n(lang);
      for (const r of SUPPRESSION_REASONS) expect(i18n.t(`suppression.reason.${r}`)).not.toMatch(/^suppression\./);
    }
    expect(createI18n('es').t('suppression.reason.hard_bounce')).toBe('Rebotó definitivamente');
  });
});
