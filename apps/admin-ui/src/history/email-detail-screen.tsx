import { useApp } from '../app-context';
import type { Attempt, EmailRecord } from '../api/types';
import { Link } from '../components/link';
import { LoadProblem, useLoad } from '../components/load-state';
import { StatusBadge } from '../components/status-badge';
import { hintText, PROVIDER_LABEL } from '../i18n/api-words';
import type { I18n } from '../i18n/i18n';
import { href, paths } from '../router';
import { DocumentLabel } from './document-label';
import { EmailActions } from './email-actions';
import { attemptOutcome, eventWords, shownReason } from './event-words';
import { recipientReason } from './recipient-reason';
import { timelineRecipients } from './timeline-recipients';

/** One email whole: who got it and how far each got, every attempt with the server's reply, the timeline. */
export function EmailDetailScreen({ id }: { id: string }) {
  const { api, i18n, search } = useApp();
  // After Retry or Cancel the email is replaced in place, so the detail (and the focus in it) stays.
  const [loaded, reload, replace] = useLoad(() => api.getEmail(id), id);
  const e = loaded.state === 'ready' ? loaded.value : null;
  return (
    <>
      <p>
        <Link to={href(paths.history(), {}, search)}>
          <span aria-hidden="true">← </span>
          {i18n.t('email.back')}
        </Link>
      </p>
      <h1 id="page-heading" tabIndex={-1}>
        {e ? e.subject : i18n.t('history.heading')}
      </h1>
      {e ? <EmailDetail email={e} i18n={i18n} onChanged={replace} /> : <LoadProblem loaded={loaded} i18n={i18n} reload={reload} />}
    </>
  );
}

export function EmailDetail({ email: e, i18n, onChanged }: { email: EmailRecord; i18n: I18n; onChanged: (email: EmailRecord) => void }) {
  const { api, search } = useApp();
  const transport =
    e.transport.mode === 'provider'
      ? i18n.t('transport.provider', { provider: PROVIDER_LABEL[e.transport.provider ?? ''] ?? e.transport.provider ?? '' })
      : i18n.t(`transport.${e.transport.mode}`);
  // Held back by the suppression list or canceled before any try: nothing went through any transport.
  const neverSent = (e.status === 'suppressed' || e.status === 'canceled') && e.attempts.length === 0;
  return (
    <>
      <section aria-labelledby="summary-heading">
        <h2 id="summary-heading">{i18n.t('email.summary')}</h2>
        <dl class="summary">
          <dt>{i18n.t('email.status')}</dt>
          <dd>
            <StatusBadge status={e.status} i18n={i18n} />
            {e.test ? <span class="tag">{i18n.t('email.test')}</span> : null}
          </dd>
          {e.document ? (
            <>
              <dt>{i18n.t('email.document')}</dt>
              <dd>
                <Link to={href(paths.document(e.document.type, e.document.id), {}, search)}>
                  <DocumentLabel document={e.document} i18n={i18n} />
                </Link>
              </dd>
            </>
          ) : null}
          <dt>{i18n.t('email.created')}</dt>
          <dd>{i18n.date(e.createdAt)}</dd>
          {neverSent ? null : (
            <>
              <dt>{i18n.t('email.transport')}</dt>
              <dd>
                {transport}
                {e.transport.reason === 'plan_fallback' ? ` (${i18n.t('transport.planFallback')})` : ''}
              </dd>
            </>
          )}
          {e.nextAttemptAt ? (
            <>
              <dt>{i18n.t('email.nextAttempt')}</dt>
              <dd>
                <time dateTime={e.nextAttemptAt}>{i18n.date(e.nextAttemptAt, 'precise')}</time>
              </dd>
            </>
          ) : null}
          {e.messageId ? (
            <>
              <dt>{i18n.t('email.messageId')}</dt>
              <dd>
                <code>{e.messageId}</code>
              </dd>
            </>
          ) : null}
          {e.attachments && e.attachments.length > 0 ? (
            <>
              <dt>{i18n.t('email.attachments')}</dt>
              <dd>
                <ul class="attachments">
                  {e.attachments.map((a, i) => (
                    <li key={i}>
                      {a.filename} ({fileSize(a.size, i18n)})
                    </li>
                  ))}
                </ul>
              </dd>
            </>
          ) : null}
        </dl>
        {e.contentPurgedAt ? (
          <p class="help content-purged">{i18n.t('email.contentPurged', { date: i18n.date(e.contentPurgedAt) })}</p>
        ) : null}
        {e.opens.count > 0 || e.opens.machineCount > 0 ? (
          <p class="help">{i18n.t('email.opens', { count: e.opens.count, machine: e.opens.machineCount })}</p>
        ) : null}
        {e.opens.omittedFromTimeline ? <p class="help">{i18n.t('email.opensOmitted', { count: e.opens.omittedFromTimeline })}</p> : null}
        <EmailActions i18n={i18n} api={api} email={e} onChanged={onChanged} />
      </section>

      <section aria-labelledby="recipients-heading">
        <h2 id="recipients-heading">{i18n.t('email.recipients')}</h2>
        <div class="table-wrap">
          <table class="recipients stacked">
            <thead>
              <tr>
                <th scope="col">{i18n.t('email.col.address')}</th>
                <th scope="col">{i18n.t('email.col.kind')}</th>
                <th scope="col">{i18n.t('email.col.status')}</th>
                <th scope="col">{i18n.t('email.col.reason')}</th>
                <th scope="col">{i18n.t('email.col.updated')}</th>
              </tr>
            </thead>
            <tbody>
              {e.recipients.map((r) => (
                <tr key={`${r.kind}:${r.email}`}>
                  <th scope="row">{r.name ? `${r.name} <${r.email}>` : r.email}</th>
                  <td data-label={i18n.t('email.col.kind')}>{i18n.t(`kind.${r.kind}`)}</td>
                  <td data-label={i18n.t('email.col.status')}>
                    <StatusBadge status={r.status} i18n={i18n} />
                  </td>
                  <td data-label={i18n.t('email.col.reason')}>
                    {recipientReason(r, i18n) || '—'}
                    {r.status === 'suppressed' ? (
                      <>
                        {' '}
                        <Link to={href(paths.suppressions(), { address: r.email }, search)}>{i18n.t('email.seeSuppressions')}</Link>
                      </>
                    ) : null}
                  </td>
                  <td data-label={i18n.t('email.col.updated')}>{i18n.date(r.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </section>

      <section aria-labelledby="attempts-heading">
        <h2 id="attempts-heading">{i18n.t('email.attempts')}</h2>
        {e.attempts.length === 0 ? (
          <p>{i18n.t('email.noAttempts')}</p>
        ) : (
          <ol class="attempts">
            {e.attempts.map((a, i) => (
              <li key={i} class={a.ok ? 'ok' : 'failed'}>
                <p>
                  <strong>
                    <span aria-hidden="true">{a.ok ? '✓ ' : '✗ '}</span>
                    {attemptOutcome(i18n, a)}
                  </strong>{' '}
                  {i18n.date(a.at, 'precise')}
                  {a.code ? (
                    <>
                      {' '}
                      · <code>{a.code}</code>
                    </>
                  ) : null}
                  {a.ok ? null : ` · ${i18n.t(a.retryable ? 'email.attempt.willRetry' : 'email.attempt.final')}`}
                  {a.rateLimited ? ` · ${i18n.t('email.attempt.rateLimited')}` : ''}
                  {a.durationMs !== undefined ? ` · ${i18n.t('email.attempt.duration', { ms: a.durationMs })}` : ''}
                </p>
                {a.response ? (
                  <p>
                    {i18n.t('test.serverSaid')}: <code class="server-words">{a.response}</code>
                  </p>
                ) : null}
                <AttemptHint i18n={i18n} attempt={a} />
              </li>
            ))}
          </ol>
        )}
      </section>

      <section aria-labelledby="timeline-heading">
        <h2 id="timeline-heading">{i18n.t('email.timeline')}</h2>
        <ol class="timeline">
          {e.events.map((ev, i) => (
            <li key={i}>
              <time dateTime={ev.at}>{i18n.date(ev.at, 'precise')}</time> <strong>{eventWords(i18n, ev)}</strong>
              {ev.recipient || ev.recipients?.length ? ` · ${timelineRecipients(ev, i18n)}` : ''}
              {ev.machine ? ` · ${i18n.t('email.machineOpen')}` : ''}
              {shownReason(i18n, ev) ? ` · ${shownReason(i18n, ev)}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </>
  );
}

/** What to do about a failed attempt, in the reader's words (the API's own for a hint this screen does not know). */
function AttemptHint({ i18n, attempt }: { i18n: I18n; attempt: Attempt }) {
  const hint = hintText(i18n, attempt);
  return hint ? (
    <p class="hint">
      {i18n.t('test.hint')}: {hint}
    </p>
  ) : null;
}

/** "13 bytes", "2,1 kB", "1.2 MB": the reader's numbers and words (Intl's Spanish unit names say "byte" for any number). */
export function fileSize(bytes: number, i18n: I18n): string {
  if (bytes < 1000) return i18n.plural('size.bytes', bytes);
  if (bytes < 1_000_000) return i18n.t('size.kB', { n: i18n.number(bytes / 1000) });
  return i18n.t('size.MB', { n: i18n.number(bytes / 1_000_000) });
}
