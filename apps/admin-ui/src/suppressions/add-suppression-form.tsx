import { useLayoutEffect, useState } from 'preact/hooks';
import { ApiError } from '../api/api-client';
import { useApp } from '../app-context';
import { TextField } from '../components/fields';
import { Notice } from '../components/notices';
import { apiProblem, fieldProblem } from '../i18n/api-words';

type Outcome = { kind: 'success' | 'error'; text: string } | null;

/**
 * An address added to the list by hand (a client who asked not to be emailed, a mailbox known to be
 * gone), with an optional note: `manual`, until someone removes it. An address already on the list
 * keeps its entry, and the admin is told why it is there. A refused address is said at its field.
 */
export function AddSuppressionForm(props: { onAdded: () => void }) {
  const { api, i18n } = useApp();
  const [address, setAddress] = useState('');
  const [note, setNote] = useState('');
  const [errors, setErrors] = useState<{ address?: string; note?: string }>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [busy, setBusy] = useState(false);
  const label = i18n.t('suppressions.add.address');
  // A refused field takes the focus once its error is on the page, so a screen reader says what to fix.
  useLayoutEffect(() => {
    const wrong = errors.address ? 'a-address' : errors.note ? 'a-note' : undefined;
    if (wrong) document.getElementById(wrong)?.focus();
  }, [errors]);

  const add = async (ev: Event) => {
    ev.preventDefault();
    setOutcome(null);
    const wanted = address.trim();
    if (!wanted) {
      setErrors({ address: i18n.t('error.required', { label }) });
      return;
    }
    setBusy(true);
    try {
      const { added, entry } = await api.addSuppression(wanted, note.trim() || undefined);
      setErrors({});
      setAddress('');
      setNote('');
      const reason = i18n.t(`suppression.reason.${entry.reason}`);
      setOutcome({
        kind: 'success',
        text: added
          ? i18n.t('suppressions.added', { address: entry.address })
          : i18n.t('suppressions.alreadyListed', { address: entry.address, reason }),
      });
      props.onAdded();
    } catch (e) {
      const problems = e instanceof ApiError ? e.details : [];
      const wordsOf = (field: 'address' | 'note', fieldLabel: string) => {
        const p = problems.find((d) => d.field === field);
        return p ? fieldProblem(i18n, field, p.message, fieldLabel) : undefined;
      };
      setErrors({ address: wordsOf('address', label), note: wordsOf('note', i18n.t('suppressions.add.note')) });
      if (!problems.length) setOutcome({ kind: 'error', text: i18n.t('suppressions.notAdded', { message: apiProblem(i18n, e) }) });
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="panel" aria-labelledby="add-suppression-heading">
      <h2 id="add-suppression-heading">{i18n.t('suppressions.add.heading')}</h2>
      <p class="help">{i18n.t('suppressions.add.intro')}</p>
      <form class="add-suppression" onSubmit={add} noValidate>
        <TextField
          id="a-address"
          type="email"
          label={label}
          value={address}
          onValue={setAddress}
          error={errors.address}
          autoComplete="off"
        />
        <TextField
          id="a-note"
          label={i18n.t('suppressions.add.note')}
          help={i18n.t('suppressions.add.note.help')}
          value={note}
          onValue={setNote}
          error={errors.note}
        />
        <button type="submit" class="primary" disabled={busy}>
          {i18n.t('suppressions.add.submit')}
        </button>
      </form>
      {outcome ? (
        <Notice kind={outcome.kind} id="add-outcome">
          <p>{outcome.text}</p>
        </Notice>
      ) : null}
    </section>
  );
}
