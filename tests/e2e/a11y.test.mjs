// Basic accessibility of every page: named controls, one h1, keyboard reach,
// and the not-found page.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, phonePage, ui, unnamedControls } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

for (const lang of ['zh-CN', 'ug', 'en']) {
  test(`every page names its controls and has one heading (${lang})`, async () => {
    const { context, page, errors } = await phonePage(browser);
    await context.addInitScript((l) => {
      try {
        localStorage.setItem('goji_lang', l);
      } catch {
        // about:blank has no storage.
      }
    }, lang);
    for (const path of ['/', '/login', '/register', '/regions', '/categories', '/live', '/cart', '/search?q=x']) {
      await page.goto(path, { waitUntil: 'networkidle' });
      await page.waitForSelector('main h1');
      assert.equal(await page.locator('main h1').count(), 1, `${path}: one h1`);
      assert.deepEqual(await page.evaluate(unnamedControls), [], `${path}: unnamed controls`);
      const title = await page.title();
      assert.ok(title.includes(ui[lang]['app.name']), `${path}: title ${title}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test('the keyboard reaches the skip link first and the search box next', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto('/', { waitUntil: 'networkidle' });
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'skip-link');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.className), 'brand');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'search-q');
  await page.keyboard.type('枸杞');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/search?q=*');
  assert.match(await page.textContent('main h1'), /枸杞/);
  // Focus outline is drawn on the focused control.
  await page.focus('#search-q');
  const outline = await page.evaluate(() => getComputedStyle(document.activeElement).outlineStyle);
  assert.notEqual(outline, 'none');
  await context.close();
});

test('an unknown address shows the not-found page with a way home', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto('/no/such/page');
  await page.waitForSelector('main h1');
  assert.equal(await page.textContent('main h1'), ui['zh-CN']['notFound.title']);
  await page.click('main a[href="/"]');
  await page.waitForURL((u) => u.pathname === '/');
  await page.waitForSelector('#home-heading');
  await context.close();
});
