import { useEffect, useLayoutEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-client';
import type { Suppression } from '../api/types';
import { useApp } from '../app-context';
import { SelectField, TextField } from '../components/fields';
import { Link } from '../components/link';
import { LoadProblem, useLoad } from '../components/load-state';
import { Notice } from '../components/notices';
import { apiProblem } from '../i18n/api-words';
import { href, paths } from '../router';
import { AddSuppressionForm } from './add-suppression-form';
import { apiSuppressionFilters, SUPPRESSION_REASONS, SuppressionSearch, suppressionSearchFrom } from './suppression-query';

const PAGE = 50;

type Outcome = { kind: 'success' | 'error'; text: string } | null;

/**
 * The tenant's suppression list: the addresses its emails are not sent to, why, since when and until
 * when; searched by the start of the address and by reason, paged; an address added by hand, and one
 * removed (after the client fixed the mailbox) so that the next emails to it are sent.
 */
export function SuppressionsScreen() {
  const { api, i18n, search, navigate } = useApp();
  const applied = suppressionSearchFrom(search);
  const key = `${applied.address}\u0000${applied.reason}`;
  const [form, setForm] = useState<SuppressionSearch>(applied);
  const [loaded, reload] = useLoad(() => api.listSuppressions(apiSuppressionFilters(applied), undefined, PAGE), key);
  const [items, setItems] = useState<Suppression[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  useEffect(() => setForm(suppressionSearchFrom(search)), [key]);
  useEffect(() => {
    if (loaded.state !== 'ready') return;
    setItems(loaded.value.items);
    setCursor(loaded.value.nextCursor);
  }, [loaded]);
  // The removed row's button is gone: focus moves to what happened, in the same frame it appears.
  useLayoutEffect(() => {
    if (outcome) document.getElementById('remove-outcome')?.focus();
  }, [outcome]);

  const apply = (ev: Event) => {
    ev.preventDefault();
    setOutcome(null);
    navigate(href(paths.suppressions(), { address: form.address.trim(), reason: form.reason }, search));
  };
  const clear = () => {
    setOutcome(null);
    navigate(href(paths.suppressions(), {}, search));
  };
  const loadMore = async () => {
    if (!cursor) return;
    setBusy('more');
    try {
      const page = await api.listSuppressions(apiSuppressionFilters(applied), cursor, PAGE);
      setItems((prev) => [...prev, ...page.items]);
      setCursor(page.nextCursor);
    } catch (e) {
      setOutcome({ kind: 'error', text: i18n.t('common.moreFailed', { message: apiProblem(i18n, e) }) });
    } finally {
      setBusy(null);
    }
  };
  const remove = async (s: Suppression) => {
    if (!window.confirm(i18n.t('suppressions.remove.confirm', { address: s.address }))) return;
    setBusy(s.address);
    try {
      await api.removeSuppression(s.address);
      setItems((prev) => prev.filter((x) => x.address !== s.address));
      setOutcome({ kind: 'success', text: i18n.t('suppressions.removed', { address: s.address }) });
    } catch (e) {
      // Someone removed it meanwhile: what the admin wanted is done, so the row goes and that is said.
      if (e instanceof ApiError && e.status === 404 && e.code === 'suppression_not_found') {
        setItems((prev) => prev.filter((x) => x.address !== s.address));
        setOutcome({ kind: 'success', text: i18n.t('suppressions.alreadyRemoved', { address: s.address }) });
        return;
      }
      setOutcome({ kind: 'error', text: i18n.t('suppressions.notRemoved', { address: s.address, message: apiProblem(i18n, e) }) });
    } finally {
      setBusy(null);
    }
  };

  return (
    <>
      <h1 id="page-heading" tabIndex={-1}>
        {i18n.t('suppressions.heading')}
      </h1>
      <p>{i18n.t('suppressions.intro')}</p>
      <form role="search" class="filters" aria-label={i18n.t('suppressions.search')} onSubmit={apply}>
        <TextField
          id="s-address"
          type="search"
          label={i18n.t('suppressions.address')}
          help={i18n.t('suppressions.address.help')}
          value={form.address}
          onValue={(address) => setForm({ ...form, address })}
        />
        <SelectField
          id="s-reason"
          label={i18n.t('suppressions.reason')}
          value={form.reason}
          options={[
            { value: '', label: i18n.t('suppressions.anyReason') },
            ...SUPPRESSION_REASONS.map((r) => ({ value: r, label: i18n.t(`suppression.reason.${r}`) })),
          ]}
          onValue={(reason) => setForm({ ...form, reason })}
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
      {outcome ? (
        <Notice kind={outcome.kind} id="remove-outcome">
          <p>{outcome.text}</p>
        </Notice>
      ) : null}
      {loaded.state !== 'ready' ? (
        <LoadProblem loaded={loaded} i18n={i18n} reload={reload} />
      ) : items.length === 0 ? (
        <p role="status">{i18n.t('suppressions.empty')}</p>
      ) : (
        <>
          <div class="table-wrap">
            <table class="suppressions stacked">
              <caption>{i18n.t('suppressions.caption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{i18n.t('suppressions.col.address')}</th>
                  <th scope="col">{i18n.t('suppressions.col.reason')}</th>
                  <th scope="col">{i18n.t('suppressions.col.since')}</th>
                  <th scope="col">{i18n.t('suppressions.col.until')}</th>
                  <th scope="col">{i18n.t('suppressions.col.detail')}</th>
                  <th scope="col">
                    <span class="sr-only">{i18n.t('suppressions.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {items.map((s) => (
                  <tr key={s.address} data-address={s.address}>
                    <th scope="row">{s.address}</th>
                    <td data-label={i18n.t('suppressions.col.reason')}>{i18n.t(`suppression.reason.${s.reason}`)}</td>
                    <td data-label={i18n.t('suppressions.col.since')}>{i18n.date(s.createdAt)}</td>
                    <td data-label={i18n.t('suppressions.col.until')}>
                      {s.expiresAt ? i18n.date(s.expiresAt) : i18n.t('suppressions.untilRemoved')}
                    </td>
                    <td data-label={i18n.t('suppressions.col.detail')}>
                      {s.detail ? <span class="server-words">{s.detail}</span> : null}
                      {s.sourceEmailId ? (
                        <>
                          {s.detail ? ' · ' : null}
                          <Link to={href(paths.email(s.sourceEmailId), {}, search)}>{i18n.t('suppressions.sourceEmail')}</Link>
                        </>
                      ) : null}
                      {!s.detail && !s.sourceEmailId ? '—' : null}
                    </td>
                    <td>
                      <button
                        type="button"
                        class="secondary"
                        disabled={busy !== null}
                        aria-label={i18n.t('suppressions.remove.label', { address: s.address })}
                        onClick={() => remove(s)}
                      >
                        {i18n.t('suppressions.remove')}
                      </button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          {cursor ? (
            <button type="button" class="secondary" onClick={loadMore} disabled={busy !== null}>
              {busy === 'more' ? i18n.t('common.loading') : i18n.t('history.more')}
            </button>
          ) : null}
        </>
      )}
      <AddSuppressionForm onAdded={reload} />
    </>
  );
}
