// The message catalogues and the current language. zh-CN is bundled (it is
// the default); the others load on demand as small chunks of their own.
import { batch, computed, signal } from '@preact/signals';
import zhCN from './zh-CN.json';
import { formatDate, formatDateTime, formatFen, formatNumber } from './format.js';

export type MessageKey = keyof typeof zhCN;
export type Catalogue = Record<MessageKey, string>;

export const LANGUAGES = ['zh-CN', 'ug', 'en'] as const;
export type Lang = (typeof LANGUAGES)[number];
export const DEFAULT_LANG: Lang = 'zh-CN';

const STORAGE_KEY = 'goji_lang';
const COOKIE = 'goji_lang';
const RTL = new Set<Lang>(['ug']);

const loaders = import.meta.glob<Catalogue>(['./*.json', '!./zh-CN.json'], { import: 'default' });
const loaded = new Map<Lang, Catalogue>([['zh-CN', zhCN]]);

export const lang = signal<Lang>(DEFAULT_LANG);
const messages = signal<Catalogue>(zhCN);
export const dir = computed(() => (RTL.has(lang.value) ? 'rtl' : 'ltr'));

export function isLang(value: unknown): value is Lang {
  return typeof value === 'string' && (LANGUAGES as readonly string[]).includes(value);
}

function readCookie(name: string): string | null {
  for (const part of document.cookie.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return null;
}

/** The remembered choice: localStorage first, then the cookie the server reads too. */
export function storedLang(): Lang {
  let stored: string | null = null;
  try {
    stored = localStorage.getItem(STORAGE_KEY);
  } catch {
    // Storage can be disabled; the cookie still remembers.
  }
  if (isLang(stored)) return stored;
  const cookie = readCookie(COOKIE);
  return isLang(cookie) ? cookie : DEFAULT_LANG;
}

async function catalogue(l: Lang): Promise<Catalogue> {
  const have = loaded.get(l);
  if (have) return have;
  const load = loaders[`./${l}.json`];
  const c = load ? await load() : zhCN;
  loaded.set(l, c);
  return c;
}

function applyToDocument(l: Lang): void {
  const root = document.documentElement;
  root.lang = l;
  root.dir = RTL.has(l) ? 'rtl' : 'ltr';
}

/** Switches the language, remembers it, and tells the server through the cookie. */
export async function setLang(l: Lang, remember = true): Promise<void> {
  const c = await catalogue(l);
  if (remember) {
    try {
      localStorage.setItem(STORAGE_KEY, l);
    } catch {
      // Not fatal: the cookie below remembers as well.
    }
    document.cookie = `${COOKIE}=${encodeURIComponent(l)}; Path=/; Max-Age=31536000; SameSite=Lax`;
  }
  applyToDocument(l);
  batch(() => {
    messages.value = c;
    lang.value = l;
  });
}

export async function initI18n(): Promise<void> {
  const l = storedLang();
  // Keep the cookie in step with localStorage so the server's messages match.
  await setLang(l, readCookie(COOKIE) !== l);
}

/** Looks a message up in the current language; "{name}" placeholders take params. */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = messages.value[key] ?? key;
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}

export const money = (fen: number | bigint | string): string => formatFen(fen, lang.value);
export const num = (value: number, options?: Intl.NumberFormatOptions): string =>
  formatNumber(value, lang.value, options);
export const date = (value: string | number | Date, options?: Intl.DateTimeFormatOptions): string =>
  formatDate(value, lang.value, options);
export const dateTime = (value: string | number | Date): string => formatDateTime(value, lang.value);

export { readCookie };

/** A name the server gives in every language (categories, facets), in the current one. */
export function localName(names: Partial<Record<Lang, string>> | undefined): string {
  if (!names) return '';
  return names[lang.value] || names[DEFAULT_LANG] || names.en || '';
}
