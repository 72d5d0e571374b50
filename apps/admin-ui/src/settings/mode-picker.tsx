import type { SendingMode } from '../api/types';
import type { I18n } from '../i18n/i18n';
import { MODES } from './settings-form';

/**
 * The three ways to send, as a radio group. A mode the plan does not allow stays visible but
 * disabled, with the reason in words ("Available on the Advanced and Premium plans"), taken from
 * the API's answer (`allowedModes`, `smtpPlans`), never from plan names written here.
 */
export function ModePicker(props: {
  i18n: I18n;
  value: SendingMode;
  allowed: readonly SendingMode[];
  smtpPlans?: string[];
  error?: string;
  onChange: (m: SendingMode) => void;
}) {
  const { i18n, value, allowed, smtpPlans, error, onChange } = props;
  const reason = (m: SendingMode): string | undefined => {
    if (allowed.includes(m)) return undefined;
    if (m === 'smtp' && smtpPlans?.length) {
      const names = i18n.list(smtpPlans.map((p) => i18n.tOr(`plan.${p}`, p)));
      return i18n.t(smtpPlans.length === 1 ? 'settings.mode.unavailable.plan' : 'settings.mode.unavailable.plans', { plans: names });
    }
    return i18n.t('settings.mode.unavailable');
  };
  return (
    <fieldset class="modes" aria-describedby={error ? 'mode-error' : undefined}>
      <legend>{i18n.t('settings.mode.legend')}</legend>
      {MODES.map((m) => {
        const why = reason(m);
        const id = `mode-${m}`;
        return (
          <div class={`mode${why ? ' unavailable' : ''}`} key={m}>
            <input
              type="radio"
              id={id}
              name="mode"
              value={m}
              checked={value === m}
              disabled={Boolean(why)}
              onChange={() => onChange(m)}
              aria-describedby={`${id}-help${why ? ` ${id}-why` : ''}`}
            />
            <label for={id}>{i18n.t(`settings.mode.${m}`)}</label>
            <p class="help" id={`${id}-help`}>
              {i18n.t(`settings.mode.${m}.help`)}
            </p>
            {why ? (
              <p class="why" id={`${id}-why`}>
                {why}
              </p>
            ) : null}
          </div>
        );
      })}
      {error ? (
        <p class="field-error" id="mode-error">
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}
