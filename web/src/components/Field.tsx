// A labelled text input with its error message wired for assistive tech.
import type { TargetedEvent } from 'preact';
import { t, type MessageKey } from '../i18n';

interface FieldProps {
  id: string;
  name: string;
  labelKey: MessageKey;
  hintKey?: MessageKey;
  type?: 'text' | 'password' | 'search';
  value: string;
  onValue: (value: string) => void;
  error?: string | null;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  inputRef?: (el: HTMLInputElement | null) => void;
  dir?: 'ltr' | 'rtl' | 'auto';
}

export function Field(props: FieldProps) {
  const { id, name, labelKey, hintKey, type = 'text', value, onValue, error, autoComplete, required, maxLength } =
    props;
  const describedBy = [hintKey ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  const onInput = (e: TargetedEvent<HTMLInputElement>) => onValue(e.currentTarget.value);
  return (
    <div class={`field${error ? ' field-invalid' : ''}`}>
      <label for={id}>
        {t(labelKey)}
        {required && (
          <span class="required" aria-hidden="true">
            {' *'}
          </span>
        )}
      </label>
      {hintKey && (
        <p class="field-hint" id={`${id}-hint`}>
          {t(hintKey)}
        </p>
      )}
      <input
        id={id}
        name={name}
        type={type as 'text'}
        value={value}
        onInput={onInput}
        autoComplete={autoComplete}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        maxLength={maxLength}
        ref={props.inputRef}
        dir={props.dir}
        autoCapitalize="off"
        spellcheck={false}
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
