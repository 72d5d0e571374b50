import { TextField } from '../components/fields';
import { PROVIDER_LABEL } from '../i18n/api-words';
import type { I18n } from '../i18n/i18n';
import { LIMIT_FIELDS, LimitsForm, presetLimitsOf, SettingsForm } from './settings-form';

/**
 * The tenant's own sending limits (`smtp` and `provider` modes): an SMTP preset's published figures
 * are shown as each box's placeholder and help, with their sources; the admin may type lower ones. A
 * figure over the preset's maximum is refused by the API, and its words show at the box.
 */
export function LimitsFields(props: {
  i18n: I18n;
  form: Pick<SettingsForm, 'mode' | 'smtp' | 'provider'>;
  limits: LimitsForm;
  errors: Record<string, string>;
  onChange: (limits: LimitsForm) => void;
}) {
  const { i18n, limits, errors, onChange } = props;
  const preset = presetLimitsOf(props.form);
  const note = preset ? i18n.tOr(`settings.limits.note.${props.form.smtp.preset}`, '') : '';
  const helpOf = (f: (typeof LIMIT_FIELDS)[number]) => {
    const value = preset?.defaults[f];
    const maximum = preset?.maximum[f] ?? value;
    if (!preset || value === undefined || maximum === undefined) return i18n.t('settings.limits.noPresetFigure');
    return i18n.t('settings.limits.presetDefault', { label: preset.label, value: i18n.number(value), maximum: i18n.number(maximum) });
  };
  return (
    <fieldset class="limits">
      <legend>{i18n.t('settings.limits.legend')}</legend>
      <p class="help" id="limits-intro">
        {preset
          ? i18n.t('settings.limits.intro.preset', { label: preset.label })
          : props.form.mode === 'provider'
            ? i18n.t('settings.limits.intro.provider', { provider: PROVIDER_LABEL[props.form.provider.name] ?? props.form.provider.name })
            : i18n.t('settings.limits.intro.none')}
      </p>
      {errors.limits ? (
        <p id="limits-error" class="field-error">
          <span aria-hidden="true">✗ </span>
          {errors.limits}
        </p>
      ) : null}
      {LIMIT_FIELDS.map((f) => (
        <TextField
          key={f}
          id={`limits.${f}`}
          type="number"
          inputMode="numeric"
          label={i18n.t(`settings.limits.${f}`)}
          value={limits[f]}
          placeholder={preset?.defaults[f] !== undefined ? String(preset.defaults[f]) : undefined}
          help={helpOf(f)}
          onValue={(v) => onChange({ ...limits, [f]: v })}
          error={errors[`limits.${f}`]}
        />
      ))}
      {preset ? (
        <div class="help limits-sources">
          <p>{i18n.t('settings.limits.sources')}</p>
          <ul>
            {preset.sources.map((url) => (
              <li key={url}>
                <a href={url} target="_blank" rel="noopener noreferrer">
                  {sourceLabel(i18n, url)}
                </a>
              </li>
            ))}
          </ul>
          {note ? <p>{note}</p> : null}
        </div>
      ) : null}
    </fieldset>
  );
}

/** The pages the presets' figures come from, by what they are (two are on support.google.com). */
const SOURCE_NAMES: readonly [RegExp, string][] = [
  [/support\.google\.com\/a\//, 'limits.source.google-workspace'],
  [/support\.google\.com\/mail\//, 'limits.source.gmail-help'],
  [/learn\.microsoft\.com\/.*exchange-online-limits/, 'limits.source.exchange'],
  [/ionos\.co\.uk\//, 'limits.source.ionos-uk'],
  [/ionos\.com\//, 'limits.source.ionos-us'],
  [/ionos\.de\//, 'limits.source.ionos-de'],
];

/** "Gmail Help: sending limits (support.google.com)"; a page we do not know by its host alone. */
function sourceLabel(i18n: I18n, url: string): string {
  const host = new URL(url).hostname;
  const key = SOURCE_NAMES.find(([re]) => re.test(url))?.[1];
  return key ? `${i18n.tOr(key, host)} (${host})` : host;
}
