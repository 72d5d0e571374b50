import { useApp } from '../app-context';
import { Link } from '../components/link';
import { LoadProblem, useLoad } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { href, paths } from '../router';
import { documentEmailsLabel } from '../history/document-label';
import { recipientReason } from '../history/recipient-reason';
import type { EmailRecord } from '../api/types';
import type { I18n } from '../i18n/i18n';

/** Statuses an email only has once a server took it: only those were "sent". */
const SENT = new Set(['accepted', 'delivered', 'opened', 'bounced', 'dropped', 'complained']);

/** "Details of the email sent on…" only for one that was sent; a canceled one says so, the others say when they were made. */
function detailsLabel(i18n: I18n, e: EmailRecord): string {
  const date = i18n.date(e.createdAt);
  if (e.status === 'canceled') return i18n.t('document.details.canceled', { date });
  return i18n.t(SENT.has(e.status) ? 'document.details' : 'document.details.notSent', { date });
}

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
                    {recipientReason(r, i18n) ? <span class="reason"> · {recipientReason(r, i18n)}</span> : null}
                  </li>
                ))}
              </ul>
              <Link to={href(paths.email(e.id), {}, search)}>{detailsLabel(i18n, e)}</Link>
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
