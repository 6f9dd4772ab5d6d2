// Locale-aware formatting of money, numbers and dates. Plain JavaScript with
// JSDoc types so that Node's test runner can import it without a build.

/** Times are shown in the county's zone whatever the device says. */
export const TIME_ZONE = 'Asia/Shanghai';

/** Maps a UI language to the locale handed to Intl. */
const INTL_LOCALES = /** @type {Record<string, string>} */ ({ 'zh-CN': 'zh-CN', ug: 'ug-CN', en: 'en-GB' });

/**
 * @param {string} lang
 * @returns {string}
 */
export function intlLocale(lang) {
  return INTL_LOCALES[lang] ?? 'zh-CN';
}

/** @type {Map<string, Intl.NumberFormat>} */
const integerFormats = new Map();

/**
 * @param {string} lang
 * @returns {Intl.NumberFormat}
 */
function integerFormat(lang) {
  let f = integerFormats.get(lang);
  if (!f) {
    // Latin digits in every language: Uyghur and Chinese shops write prices that way.
    f = new Intl.NumberFormat(intlLocale(lang), { numberingSystem: 'latn', maximumFractionDigits: 0 });
    integerFormats.set(lang, f);
  }
  return f;
}

/**
 * Formats an amount of money given in integer fen as yuan, e.g. 1280 → "¥12.80".
 * Works on integers only (BigInt arithmetic), so no binary fraction ever shows.
 * @param {number | bigint | string} fen
 * @param {string} [lang]
 * @returns {string}
 */
export function formatFen(fen, lang = 'zh-CN') {
  if (typeof fen === 'number' && !Number.isSafeInteger(fen)) {
    throw new RangeError(`formatFen: not an integer amount of fen: ${fen}`);
  }
  const n = BigInt(fen);
  const negative = n < 0n;
  const abs = negative ? -n : n;
  const yuan = integerFormat(lang).format(abs / 100n);
  const cents = String(abs % 100n).padStart(2, '0');
  return `${negative ? '-' : ''}¥${yuan}.${cents}`;
}

/**
 * @param {number} value
 * @param {string} [lang]
 * @param {Intl.NumberFormatOptions} [options]
 * @returns {string}
 */
export function formatNumber(value, lang = 'zh-CN', options = {}) {
  return new Intl.NumberFormat(intlLocale(lang), { numberingSystem: 'latn', ...options }).format(value);
}

/**
 * @param {string | number | Date} value an ISO 8601 string, epoch milliseconds or a Date
 * @param {string} [lang]
 * @param {Intl.DateTimeFormatOptions} [options]
 * @returns {string}
 */
export function formatDate(value, lang = 'zh-CN', options = { dateStyle: 'medium' }) {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) return '';
  return new Intl.DateTimeFormat(intlLocale(lang), { timeZone: TIME_ZONE, numberingSystem: 'latn', ...options }).format(
    date,
  );
}

/**
 * @param {string | number | Date} value
 * @param {string} [lang]
 * @returns {string}
 */
export function formatDateTime(value, lang = 'zh-CN') {
  return formatDate(value, lang, { dateStyle: 'medium', timeStyle: 'short' });
}
