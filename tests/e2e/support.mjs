// Shared helpers of the browser tests: the server under test (started by
// scripts/e2e.sh, which passes its address in GOJI_URL), the system's
// Chromium, and the app's and the server's message catalogues.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

export const BASE_URL = process.env.GOJI_URL ?? '';
if (!BASE_URL) {
  throw new Error('GOJI_URL is not set: run the browser tests through scripts/e2e.sh');
}

export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';

/** The phone the layout is designed for. */
export const PHONE = { width: 360, height: 800 };

function readJson(path) {
  return JSON.parse(readFileSync(join(ROOT, path), 'utf8'));
}

/** The web app's catalogues, by language. */
export const ui = {
  'zh-CN': readJson('web/src/i18n/zh-CN.json'),
  ug: readJson('web/src/i18n/ug.json'),
  en: readJson('web/src/i18n/en.json'),
};

/** The server's catalogues (problem details), by language. */
export const server = {
  'zh-CN': readJson('i18n/server/zh-CN.json'),
  ug: readJson('i18n/server/ug.json'),
  en: readJson('i18n/server/en.json'),
};

export function launch() {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    timeout: 60_000,
  });
}

/** A fresh context (no cookies, no cache) with a phone-sized page. */
export async function phonePage(browser, options = {}) {
  const context = await browser.newContext({
    baseURL: BASE_URL,
    viewport: PHONE,
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    ...options,
  });
  context.setDefaultTimeout(30_000);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  page.on('console', (m) => {
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(new Error(m.text()));
  });
  return { context, page, errors };
}

let counter = 0;
/** A login name no other test (or run) uses. */
export function uniqueLogin(prefix = 'user') {
  counter += 1;
  return `${prefix}${Date.now().toString(36)}${process.pid.toString(36)}${counter}`.slice(0, 32);
}

/** Registers through the page and waits for the account page. */
export async function registerThroughUi(page, { login, password, displayName }) {
  await page.goto('/register');
  await page.fill('#register-login', login);
  await page.fill('#register-display-name', displayName);
  await page.fill('#register-password', password);
  await page.fill('#register-confirm', password);
  await page.click('#register-form button[type=submit]');
  await page.waitForURL('**/account');
  await page.waitForSelector('#account-login');
}

export async function switchLanguage(page, lang) {
  await page.selectOption('#lang-select', lang);
  await page.waitForFunction((l) => document.documentElement.lang === l, lang);
}

/** The county officer of Jinghe County that scripts/e2e.sh adds before starting goji. */
export const OFFICER = {
  login: process.env.E2E_OFFICER_LOGIN ?? 'off1',
  password: process.env.E2E_OFFICER_PASSWORD ?? '',
};

/** The administrator that scripts/e2e.sh adds before starting goji. */
export const ADMIN = {
  login: process.env.E2E_ADMIN_LOGIN ?? 'adm1',
  password: process.env.E2E_ADMIN_PASSWORD ?? '',
};

/** Logs in through the login page and waits for the account page. */
export async function loginThroughUi(page, { login, password }) {
  await page.goto('/login');
  await page.fill('#login-login', login);
  await page.fill('#login-password', password);
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/account');
  await page.waitForSelector('#account-login');
}

/** Controls without an accessible name, described for the failure message (runs in the page). */
export function unnamedControls() {
  const out = [];
  for (const el of document.querySelectorAll('input, select, textarea, button, a[href]')) {
    if (el.hidden || el.type === 'hidden') continue;
    const labelled =
      (el.labels && el.labels.length > 0 && [...el.labels].some((l) => l.textContent.trim())) ||
      el.getAttribute('aria-label') ||
      el.getAttribute('aria-labelledby') ||
      el.textContent.trim();
    if (!labelled) out.push(el.outerHTML.slice(0, 120));
  }
  return out;
}

/**
 * Chooses a chain of regions in a RegionPicker whose id is `prefix`, level by
 * level, waiting for each level's options. A code that is not offered is
 * replaced by the first option of its level (returned in the chain).
 */
export async function pickRegions(page, prefix, levels) {
  const chosen = [];
  for (const [level, wanted] of levels) {
    const select = `#${prefix}-${level}`;
    await page.waitForSelector(`${select}:not([disabled]) option:nth-child(2)`, { state: 'attached' });
    const offered = await page.$$eval(`${select} option`, (os) => os.map((o) => o.value).filter(Boolean));
    const code = wanted && offered.includes(wanted) ? wanted : offered[0];
    await page.selectOption(select, code);
    chosen.push(code);
  }
  return chosen;
}

/** A JSON request from inside the page, with the session cookie and the CSRF header. */
export function apiInPage(page, method, path, body) {
  return page.evaluate(
    async ({ method, path, body }) => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim())
        .find((c) => c.startsWith('goji_csrf='))
        ?.slice('goji_csrf='.length);
      const headers = { Accept: 'application/json' };
      if (body !== undefined) headers['Content-Type'] = 'application/json';
      if (csrf) headers['X-CSRF-Token'] = decodeURIComponent(csrf);
      const r = await fetch(`/api/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
      const text = await r.text();
      let json = null;
      try {
        json = JSON.parse(text);
      } catch {
        // not JSON
      }
      return { status: r.status, json, contentType: r.headers.get('content-type') };
    },
    { method, path, body },
  );
}

/**
 * A cooperative of the logged-in `page`'s user in the first township of
 * Jinghe County, named `name` with a unique suffix, verified by the county
 * officer (in a context of its own, closed again). Returns { id, township }.
 */
export async function verifiedShop(browser, page, name) {
  const townships = await apiInPage(page, 'GET', '/regions/652722/children?limit=100');
  const township = townships.json.items[0].code;
  const shop = await apiInPage(page, 'POST', '/shops', {
    name: `${name}${Date.now().toString(36).slice(-4)}`,
    kind: 'cooperative',
    region_code: township,
    poverty_relief: false,
  });
  if (shop.status !== 201) throw new Error(`shop not created: ${shop.status} ${JSON.stringify(shop.json)}`);
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  const verified = await apiInPage(officer.page, 'POST', `/shops/${shop.json.id}/verify`);
  await officer.context.close();
  if (verified.status !== 200) throw new Error(`shop not verified: ${verified.status} ${JSON.stringify(verified.json)}`);
  return { id: shop.json.id, township };
}
