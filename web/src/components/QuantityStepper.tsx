// A quantity with one-less and one-more buttons and a box to type into,
// kept between min and max. The buttons stay focusable at the limits
// (aria-disabled, not disabled), so a keyboard user pressing "+" to the top
// does not lose their place.
import type { TargetedEvent, TargetedKeyboardEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { t } from '../i18n';

interface StepperProps {
  id: string;
  /** The label of the number box; visually hidden when `hideLabel`. */
  label: string;
  hideLabel?: boolean;
  /** Names the buttons in a list of several ("one more “Goji, 500 g”"). */
  itemName?: string;
  value: number;
  min?: number;
  max: number;
  onChange: (value: number) => void;
  disabled?: boolean;
  error?: string | null;
  inputRef?: (el: HTMLInputElement | null) => void;
}

/** Full-width digits, as Chinese input methods type them, count too. */
function parseCount(text: string): number | null {
  const ascii = text.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^\d{1,6}$/.test(ascii) ? Number.parseInt(ascii, 10) : null;
}

export function QuantityStepper(props: StepperProps) {
  const { id, label, hideLabel, itemName, value, min = 1, max, onChange, disabled, error } = props;
  const [text, setText] = useState(String(value));
  useEffect(() => setText(String(value)), [value]);

  const set = (n: number) => {
    const clamped = Math.min(Math.max(n, min), Math.max(min, max));
    setText(String(clamped));
    if (clamped !== value) onChange(clamped);
  };
  const commit = (typed: string) => {
    const n = parseCount(typed);
    if (n === null) setText(String(value));
    else set(n);
  };
  const atMin = disabled || value <= min;
  const atMax = disabled || value >= max;
  const step = (delta: number, blocked: boolean) => () => {
    if (!blocked) set(value + delta);
  };
  const onKeyDown = (e: TargetedKeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      commit(e.currentTarget.value);
    }
  };
  const describedBy = error ? `${id}-error` : undefined;
  return (
    <div class={`stepper${error ? ' field-invalid' : ''}`}>
      <label for={id} class={hideLabel ? 'visually-hidden' : 'stepper-label'}>
        {label}
      </label>
      <div class="stepper-controls">
        <button
          type="button"
          class="stepper-button"
          data-action="decrease"
          aria-controls={id}
          aria-disabled={atMin ? 'true' : undefined}
          aria-label={itemName ? t('quantity.fewerOf', { name: itemName }) : t('quantity.fewer')}
          onClick={step(-1, atMin)}
        >
          <span aria-hidden="true">−</span>
        </button>
        <input
          id={id}
          name={id}
          class="stepper-input"
          type="text"
          inputMode="numeric"
          autoComplete="off"
          value={text}
          disabled={disabled}
          aria-invalid={error ? 'true' : undefined}
          aria-describedby={describedBy}
          onInput={(e: TargetedEvent<HTMLInputElement>) => setText(e.currentTarget.value)}
          onChange={(e: TargetedEvent<HTMLInputElement>) => commit(e.currentTarget.value)}
          onKeyDown={onKeyDown}
          ref={props.inputRef}
          size={3}
          dir="ltr"
        />
        <button
          type="button"
          class="stepper-button"
          data-action="increase"
          aria-controls={id}
          aria-disabled={atMax ? 'true' : undefined}
          aria-label={itemName ? t('quantity.moreOf', { name: itemName }) : t('quantity.more')}
          onClick={step(1, atMax)}
        >
          <span aria-hidden="true">+</span>
        </button>
      </div>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </div>
  );
}
