// Money typed by people: "12.80" yuan → 1280 fen, by string handling only, so
// no binary fraction can ever creep in. Plain JavaScript with JSDoc types so
// that Node's test runner can import it without a build.

/** Full-width digits and point, as Chinese input methods type them. */
const FULL_WIDTH = /[\uFF10-\uFF19\uFF0E]/g;

/**
 * Parses an amount in yuan with at most two decimals into integer fen.
 * Accepts "59.80", "59.8", "59", "0.05", ".5", a leading ¥ and full-width digits;
 * returns null for anything else (signs, exponents, three decimals, letters…).
 * @param {string} text
 * @returns {number | null}
 */
export function parseYuan(text) {
  const s = String(text)
    .trim()
    .replace(FULL_WIDTH, (c) => (c === '\uFF0E' ? '.' : String.fromCharCode(c.charCodeAt(0) - 0xfee0)))
    .replace(/^[¥￥]\s*/, '');
  const m = /^(\d{0,10})(?:\.(\d{0,2}))?$/.exec(s);
  if (!m) return null;
  const whole = m[1] ?? '';
  const fraction = m[2] ?? '';
  if (whole === '' && fraction === '') return null;
  const yuan = whole === '' ? 0 : Number.parseInt(whole, 10);
  const fen = Number.parseInt((fraction + '00').slice(0, 2), 10);
  return yuan * 100 + fen;
}

/**
 * The inverse for an edit box: 5980 → "59.80".
 * @param {number} fen a non-negative integer
 * @returns {string}
 */
export function fenToYuanText(fen) {
  if (!Number.isSafeInteger(fen) || fen < 0) return '';
  const digits = String(fen).padStart(3, '0');
  return `${digits.slice(0, -2)}.${digits.slice(-2)}`;
}
