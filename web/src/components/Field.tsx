// A labelled text input with its error message wired for assistive tech.
import type { ComponentChildren, TargetedEvent } from 'preact';
import { t, type MessageKey } from '../i18n';

interface FieldProps {
  id: string;
  name: string;
  labelKey: MessageKey;
  hintKey?: MessageKey;
  type?: 'text' | 'password' | 'search' | 'date' | 'datetime-local';
  value: string;
  onValue: (value: string) => void;
  error?: string | null;
  autoComplete?: string;
  required?: boolean;
  maxLength?: number;
  inputRef?: (el: HTMLInputElement | null) => void;
  dir?: 'ltr' | 'rtl' | 'auto';
  inputMode?: 'text' | 'decimal' | 'numeric';
  /** For dates: the latest allowed, YYYY-MM-DD. */
  max?: string;
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
        inputMode={props.inputMode}
        max={props.max}
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

interface TextAreaProps {
  id: string;
  name: string;
  labelKey: MessageKey;
  hintKey?: MessageKey;
  value: string;
  onValue: (value: string) => void;
  error?: string | null;
  required?: boolean;
  maxLength?: number;
  rows?: number;
  inputRef?: (el: HTMLTextAreaElement | null) => void;
}

/** A labelled multi-line text box (plain text: line breaks are kept, nothing else). */
export function TextAreaField(props: TextAreaProps) {
  const { id, name, labelKey, hintKey, value, onValue, error, required, maxLength, rows = 5 } = props;
  const describedBy = [hintKey ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
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
      <textarea
        id={id}
        name={name}
        value={value}
        onInput={(e) => onValue(e.currentTarget.value)}
        rows={rows}
        maxLength={maxLength}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={describedBy || undefined}
        ref={props.inputRef}
        dir="auto"
      />
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}

interface SelectProps {
  id: string;
  name: string;
  labelKey: MessageKey;
  value: string;
  onValue: (value: string) => void;
  error?: string | null;
  required?: boolean;
  inputRef?: (el: HTMLSelectElement | null) => void;
  children: ComponentChildren;
}

/** A labelled native select (the options come from the caller). */
export function SelectField(props: SelectProps) {
  const { id, name, labelKey, value, onValue, error, required, children } = props;
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
      <select
        id={id}
        name={name}
        value={value}
        onChange={(e) => onValue(e.currentTarget.value)}
        aria-required={required ? 'true' : undefined}
        aria-invalid={error ? 'true' : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
        ref={props.inputRef}
      >
        {children}
      </select>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
