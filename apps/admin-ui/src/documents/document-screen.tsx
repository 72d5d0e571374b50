import { useApp } from '../app-context';
import { Link } from '../components/link';
import { LoadProblem, useLoad } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { href, paths } from '../router';
import { documentEmailsLabel } from '../history/document-label';

/**
 * `/ui/documents/:type/:id`: the emails of one document and how far each got, compact enough to
 * embed next to the invoice in the platform.
 */
export function DocumentScreen({ type, id }: { type: string; id: string }) {
  const { api, i18n, search } = useApp();
  const [loaded, reload] = useLoad(() => api.listEmails({ documentType: type, documentId: id }, undefined, 50), `${type}\u0000${id}`);
  const page = loaded.state === 'ready' ? loaded.value : null;
  const number = page?.items.find((e) => e.document?.number)?.document?.number;
  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        {documentEmailsLabel(i18n, { type, id, number })}
      </h1>
      {!page ? (
        <LoadProblem loaded={loaded} i18n={i18n} reload={reload} />
      ) : page.items.length === 0 ? (
        <p>{i18n.t('document.empty')}</p>
      ) : (
        <ul class="doc-emails">
          {page.items.map((e) => (
            <li key={e.id} data-email-id={e.id}>
              <p class="doc-email-head">
                <StatusBadge status={e.status} i18n={i18n} /> <time dateTime={e.createdAt}>{i18n.date(e.createdAt)}</time>
                {e.test ? <span class="tag">{i18n.t('history.test')}</span> : null}
              </p>
              <ul class="doc-recipients" aria-label={i18n.t('email.recipients')}>
                {e.recipients.map((r) => (
                  <li key={`${r.kind}:${r.email}`}>
                    {r.email} <span class="kind">({i18n.t(`kind.${r.kind}`)})</span>: <StatusBadge status={r.status} i18n={i18n} />
                    {r.reason ? <span class="reason"> · {r.reason}</span> : null}
                  </li>
                ))}
              </ul>
              <Link to={href(paths.email(e.id), {}, search)}>{i18n.t('document.details', { date: i18n.date(e.createdAt) })}</Link>
            </li>
          ))}
        </ul>
      )}
      {page?.nextCursor ? (
        <p>
          <Link to={href(paths.history(), { documentType: type, documentId: id }, search)}>{i18n.t('history.more')}</Link>
        </p>
      ) : null}
    </>
  );
}
