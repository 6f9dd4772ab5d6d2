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
  const locale = intlLocale(lang);
  if (!supportsDates(locale)) return numericDate(date, options);
  return new Intl.DateTimeFormat(locale, { timeZone: TIME_ZONE, numberingSystem: 'latn', ...options }).format(date);
}

/** @type {Map<string, boolean>} */
const dateSupport = new Map();

/**
 * Browsers with reduced locale data (Chromium's, for one) lack Uyghur; they
 * would silently format in English.
 * @param {string} locale
 */
function supportsDates(locale) {
  let ok = dateSupport.get(locale);
  if (ok === undefined) {
    try {
      ok = Intl.DateTimeFormat.supportedLocalesOf([locale]).length > 0;
    } catch {
      ok = false;
    }
    dateSupport.set(locale, ok);
  }
  return ok;
}

/**
 * A language-neutral "2026-04-01 09:30", for locales the browser cannot format.
 * @param {Date} date
 * @param {Intl.DateTimeFormatOptions} options
 */
function numericDate(date, options) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: TIME_ZONE,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(date)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const hasTime = options.timeStyle !== undefined || options.hour !== undefined;
  const hasDate = options.timeStyle === undefined || options.dateStyle !== undefined;
  const time = `${parts.hour}:${parts.minute}`;
  return [hasDate ? day : '', hasTime ? time : ''].filter(Boolean).join(' ');
}

/**
 * @param {string | number | Date} value
 * @param {string} [lang]
 * @returns {string}
 */
export function formatDateTime(value, lang = 'zh-CN') {
  return formatDate(value, lang, { dateStyle: 'medium', timeStyle: 'short' });
}

/**
 * Today's date in the county, as YYYY-MM-DD (harvest dates, date inputs).
 * @param {Date} [now]
 * @returns {string}
 */
export function todayInShanghai(now = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone: TIME_ZONE, year: 'numeric', month: '2-digit', day: '2-digit' })
      .formatToParts(now)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day}`;
}
