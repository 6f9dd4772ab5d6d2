// Star ratings: shown (five stars, filled to the rating, with the figure for
// screen readers) and chosen (five native radio buttons in a fieldset, so
// arrow keys, labels and screen readers work as with any radio group).
import { t, type MessageKey, num } from '../i18n';

const STAR = '\u2605';
const ONE_TO_FIVE = [1, 2, 3, 4, 5] as const;

/** Five stars filled to `rating` (halves and tenths shown by width); the text says the figure. */
export function Stars({ rating, id }: { rating: number; id?: string }) {
  const clamped = Math.max(0, Math.min(5, rating));
  return (
    <span class="stars" id={id} data-rating={rating}>
      <span class="stars-track" aria-hidden="true">
        {STAR.repeat(5)}
        <span class="stars-fill" style={{ inlineSize: `${(clamped / 5) * 100}%` }}>
          {STAR.repeat(5)}
        </span>
      </span>
      <span class="visually-hidden">{t('reviews.ratingOf', { n: num(rating, { maximumFractionDigits: 1 }) })}</span>
    </span>
  );
}

interface StarInputProps {
  /** Id prefix: the radios are `${id}-1` … `${id}-5`. */
  id: string;
  name: string;
  legendKey: MessageKey;
  value: number;
  onValue: (rating: number) => void;
  error?: string | null;
  inputRef?: (el: HTMLInputElement | null) => void;
}

/** A rating from 1 to 5 as a radio group; the chosen star and those before it are lit. */
export function StarInput({ id, name, legendKey, value, onValue, error, inputRef }: StarInputProps) {
  return (
    <fieldset
      class={`star-input${error ? ' field-invalid' : ''}`}
      id={id}
      aria-describedby={error ? `${id}-error` : undefined}
    >
      <legend>
        {t(legendKey)}
        <span class="required" aria-hidden="true">
          {' *'}
        </span>
      </legend>
      <div class="star-input-options">
        {ONE_TO_FIVE.map((n) => (
          <span class="star-input-option" key={n}>
            <input
              type="radio"
              id={`${id}-${n}`}
              name={name}
              value={String(n)}
              checked={value === n}
              onChange={() => onValue(n)}
              ref={n === 1 ? inputRef : undefined}
              aria-invalid={error ? 'true' : undefined}
            />
            <label for={`${id}-${n}`} class={n <= value ? 'star-lit' : undefined}>
              <span aria-hidden="true">{STAR}</span>
              <span class="visually-hidden">{t('reviews.stars', { n: num(n) })}</span>
            </label>
          </span>
        ))}
      </div>
      {error && (
        <p class="field-error" id={`${id}-error`}>
          {error}
        </p>
      )}
    </fieldset>
  );
}
