import { useEffect, useRef, useState } from 'preact/hooks';
import { RECIPIENT_STATUSES } from '@mailroom/domain/src/status';
import type { EmailRecord } from '../api/types';
import { useApp } from '../app-context';
import { SelectField, TextField } from '../components/fields';
import { LoadProblem, useLoad } from '../components/load-state';
import { Notice } from '../components/notices';
import { apiProblem } from '../i18n/api-words';
import { RecipientList, StatusBadge } from '../components/status-badge';
import { href, paths } from '../router';
import { DocumentLabel, documentEmailsLabel } from './document-label';
import { apiFilters, FILTER_KEYS, FilterForm, filtersFromSearch } from './history-query';
import { Link } from '../components/link';
import { DOCUMENT_TYPES } from './document-label';

const PAGE = 25;

/** The tenant's emails, newest first, filtered, paged by cursor ("Show more"). */
export function HistoryScreen() {
  const { api, i18n, search, navigate } = useApp();
  const applied = filtersFromSearch(search);
  const key = FILTER_KEYS.map((k) => applied[k]).join('\u0000');
  const [form, setForm] = useState<FilterForm>(applied);
  const [loaded, reload] = useLoad(() => api.listEmails(apiFilters(applied), undefined, PAGE), key);
  const [items, setItems] = useState<EmailRecord[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [more, setMore] = useState<{ busy: boolean; added?: number; error?: string }>({ busy: false });
  const firstNew = useRef<HTMLAnchorElement>(null);

  useEffect(() => setForm(filtersFromSearch(search)), [key]);
  useEffect(() => {
    if (loaded.state !== 'ready') return;
    setItems(loaded.value.items);
    setCursor(loaded.value.nextCursor);
    setMore({ busy: false });
  }, [loaded]);

  const apply = (ev: Event) => {
    ev.preventDefault();
    navigate(href(paths.history(), { ...form }, search));
  };
  const clear = () => navigate(href(paths.history(), {}, search));
  const loadMore = async () => {
    if (!cursor) return;
    setMore({ busy: true });
    try {
      const page = await api.listEmails(apiFilters(applied), cursor, PAGE);
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
      setMore({ busy: false, added: page.items.length });
      requestAnimationFrame(() => firstNew.current?.focus());
    } catch (e) {
      setMore({ busy: false, error: i18n.t('common.moreFailed', { message: apiProblem(i18n, e) }) });
    }
  };
  const firstNewIndex = more.added ? items.length - more.added : -1;
  // yyyy-mm-dd strings compare as days: "From" after "To" can match nothing, and says why.
  const emptyRange = Boolean(applied.since && applied.until && applied.since > applied.until);

  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        {i18n.t('history.heading')}
      </h1>
      <form role="search" class="filters" aria-label={i18n.t('history.filters')} onSubmit={apply}>
        <SelectField
          id="f-documentType"
          label={i18n.t('history.documentType')}
          value={form.documentType}
          options={[
            { value: '', label: i18n.t('history.anyDocumentType') },
            // A type in the address that we have no name for (the platform's own) stays choosable, as written.
            ...[...DOCUMENT_TYPES, ...(form.documentType && !DOCUMENT_TYPES.includes(form.documentType) ? [form.documentType] : [])].map(
              (t) => ({ value: t, label: i18n.tOr(`docTypeName.${t}`, t) }),
            ),
          ]}
          onValue={(documentType) => setForm({ ...form, documentType })}
        />
        <TextField
          id="f-documentId"
          label={i18n.t('history.documentId')}
          value={form.documentId}
          onValue={(documentId) => setForm({ ...form, documentId })}
        />
        <TextField
          id="f-recipient"
          type="search"
          label={i18n.t('history.recipient')}
          help={i18n.t('history.recipient.help')}
          value={form.recipient}
          onValue={(recipient) => setForm({ ...form, recipient })}
        />
        <SelectField
          id="f-status"
          label={i18n.t('history.status')}
          value={form.status}
          options={[
            { value: '', label: i18n.t('history.anyStatus') },
            ...RECIPIENT_STATUSES.map((s) => ({ value: s, label: i18n.tOr(`status.${s}`, s) })),
          ]}
          onValue={(status) => setForm({ ...form, status })}
        />
        <TextField
          id="f-since"
          type="date"
          label={i18n.t('history.since')}
          value={form.since}
          onValue={(since) => setForm({ ...form, since })}
        />
        <TextField
          id="f-until"
          type="date"
          label={i18n.t('history.until')}
          value={form.until}
          onValue={(until) => setForm({ ...form, until })}
        />
        <div class="actions">
          <button type="submit" class="primary">
            {i18n.t('history.apply')}
          </button>
          <button type="button" class="secondary" onClick={clear}>
            {i18n.t('history.clear')}
          </button>
        </div>
      </form>
      <p class="help">{i18n.t('history.opensNote')}</p>
      {emptyRange ? (
        <p role="status" class="field-error">
          {i18n.t('history.badRange')}
        </p>
      ) : loaded.state !== 'ready' ? (
        <LoadProblem loaded={loaded} i18n={i18n} reload={reload} />
      ) : items.length === 0 ? (
        <p role="status">{i18n.t('history.empty')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="history stacked">
              <caption>{i18n.t('history.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{i18n.t('history.col.date')}</th>
                  <th scope="col">{i18n.t('history.col.subject')}</th>
                  <th scope="col">{i18n.t('history.col.document')}</th>
                  <th scope="col">{i18n.t('history.col.recipients')}</th>
                  <th scope="col">{i18n.t('history.col.status')}</th>
                </tr>
              </thead>
              <tbody>
                {items.map((e, i) => (
                  <tr key={e.id} data-email-id={e.id}>
                    <td data-label={i18n.t('history.col.date')}>{i18n.date(e.createdAt)}</td>
                    <th scope="row">
                      <Link to={href(paths.email(e.id), {}, search)} innerRef={i === firstNewIndex ? firstNew : undefined}>
                        {e.subject}
                      </Link>
                      {e.test ? <span class="tag">{i18n.t('history.test')}</span> : null}
                    </th>
                    <td data-label={i18n.t('history.col.document')}>
                      {e.document ? (
                        <Link
                          to={href(paths.document(e.document.type, e.document.id), {}, search)}
                          aria-label={documentEmailsLabel(i18n, e.document)}
                        >
                          <DocumentLabel document={e.document} i18n={i18n} />
                        </Link>
                      ) : (
                        '—'
                      )}
                    </td>
                    <td data-label={i18n.t('history.col.recipients')}>
                      <RecipientList email={e} i18n={i18n} />
                    </td>
                    <td class="status" data-label={i18n.t('history.col.status')}>
                      <StatusBadge status={e.status} i18n={i18n} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="sr-only" role="status">
            {more.added !== undefined ? i18n.plural('history.loadedMore', more.added) : i18n.plural('history.count', items.length)}
          </p>
          {more.error ? <Notice kind="error">{more.error}</Notice> : null}
          {cursor ? (
            <button type="button" class="secondary" onClick={loadMore} disabled={more.busy}>
              {more.busy ? i18n.t('common.loading') : i18n.t('history.more')}
            </button>
          ) : null}
        </>
      )}
    </>
  );
}
