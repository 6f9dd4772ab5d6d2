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
