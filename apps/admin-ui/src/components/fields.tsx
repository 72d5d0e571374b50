import type { ComponentChildren } from 'preact';

/**
 * Labelled inputs. Every input has a <label>; its help text and its error (the API's own words, from
 * `error.details[].field`) are tied to it with aria-describedby, and an error sets aria-invalid.
 */
interface Described {
  id: string;
  label: string;
  help?: ComponentChildren;
  error?: string;
}

function describedBy(id: string, help: unknown, error: string | undefined): string | undefined {
  const ids = [help ? `${id}-help` : '', error ? `${id}-error` : ''].filter(Boolean);
  return ids.length ? ids.join(' ') : undefined;
}

function HelpAndError({ id, help, error }: Pick<Described, 'id' | 'help' | 'error'>) {
  return (
    <>
      {help ? (
        <p id={`${id}-help`} class="help">
          {help}
        </p>
      ) : null}
      {error ? (
        <p id={`${id}-error`} class="field-error">
          <span aria-hidden="true">✗ </span>
          {error}
        </p>
      ) : null}
    </>
  );
}

export function TextField(
  props: Described & {
    value: string;
    onValue: (v: string) => void;
    type?: 'text' | 'email' | 'password' | 'number' | 'date' | 'search';
    autoComplete?: string;
    required?: boolean;
    placeholder?: string;
    inputMode?: 'numeric' | 'email' | 'text';
  },
) {
  const { id, label, help, error, value, onValue, type = 'text', autoComplete = 'off', required, placeholder, inputMode } = props;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <input
        id={id}
        name={id}
        // Preact's input types are a union keyed on `type`; this component passes the same props for each.
        type={type as 'text'}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        autoComplete={autoComplete}
        required={required}
        placeholder={placeholder}
        inputMode={inputMode}
        spellcheck={false}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, help, error)}
      />
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}

export function TextArea(props: Described & { value: string; onValue: (v: string) => void; rows?: number }) {
  const { id, label, help, error, value, onValue, rows = 2 } = props;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <textarea
        id={id}
        name={id}
        rows={rows}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        spellcheck={false}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, help, error)}
      />
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}

export function SelectField<T extends string>(
  props: Described & { value: T; onValue: (v: T) => void; options: readonly { value: T; label: string }[] },
) {
  const { id, label, help, error, value, onValue, options } = props;
  return (
    <div class={`field${error ? ' has-error' : ''}`}>
      <label for={id}>{label}</label>
      <select
        id={id}
        name={id}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value as T)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, help, error)}
      >
        {options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}

export function CheckboxField(props: Described & { checked: boolean; onChecked: (v: boolean) => void }) {
  const { id, label, help, error, checked, onChecked } = props;
  return (
    <div class={`field checkbox${error ? ' has-error' : ''}`}>
      <input
        id={id}
        name={id}
        type="checkbox"
        checked={checked}
        onChange={(e) => onChecked(e.currentTarget.checked)}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy(id, help, error)}
      />
      <label for={id}>{label}</label>
      <HelpAndError id={id} help={help} error={error} />
    </div>
  );
}
