import { TextArea, TextField } from '../components/fields';
import type { I18n } from '../i18n/i18n';
import type { SettingsForm } from './settings-form';

type Common = Pick<SettingsForm, 'senderName' | 'replyTo' | 'cc' | 'bcc'>;

/** What every mode shares (the seed's "Nombre del email", "Responder a", CC and BCC). */
export function CommonFields(props: {
  i18n: I18n;
  form: SettingsForm;
  errors: Record<string, string>;
  onChange: (patch: Partial<Common>) => void;
}) {
  const { i18n, form, errors, onChange } = props;
  return (
    <fieldset>
      <legend>{i18n.t('settings.common.legend')}</legend>
      <TextField
        id="senderName"
        label={i18n.t('settings.senderName')}
        help={i18n.t('settings.senderName.help')}
        value={form.senderName}
        onValue={(senderName) => onChange({ senderName })}
        error={errors.senderName}
        autoComplete="organization"
        required
      />
      <TextField
        id="replyTo"
        type="email"
        label={i18n.t('settings.replyTo')}
        help={i18n.t('settings.replyTo.help')}
        value={form.replyTo}
        onValue={(replyTo) => onChange({ replyTo })}
        error={errors.replyTo}
        autoComplete="email"
        required={form.mode === 'platform'}
      />
      <TextArea
        id="cc"
        label={i18n.t('settings.cc')}
        help={i18n.t('settings.cc.help')}
        value={form.cc}
        onValue={(cc) => onChange({ cc })}
        error={errors.cc}
      />
      <TextArea
        id="bcc"
        label={i18n.t('settings.bcc')}
        help={i18n.t('settings.bcc.help')}
        value={form.bcc}
        onValue={(bcc) => onChange({ bcc })}
        error={errors.bcc}
      />
    </fieldset>
  );
}
