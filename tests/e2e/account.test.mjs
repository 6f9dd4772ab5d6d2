// Register, log in, switch languages (Uyghur right-to-left, English), change
// the display name and the password, log out.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, phonePage, registerThroughUi, switchLanguage, ui, uniqueLogin } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

const navLabel = (page, href) => page.locator(`nav.tabbar a[href="${href}"] .tab-label`).textContent();

test('a visitor registers, switches to Uyghur and English, changes name and password, logs out', async () => {
  const { context, page, errors } = await phonePage(browser);
  const login = uniqueLogin('e2e');
  const password = 'correct horse 1';

  // zh-CN is the default language.
  await page.goto('/');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await navLabel(page, '/'), ui['zh-CN']['nav.home']);

  await registerThroughUi(page, { login, password, displayName: '枸杞测试员' });
  assert.equal(await page.textContent('#account-login'), login);
  assert.equal(await page.textContent('#account-display-name'), '枸杞测试员');

  // Uyghur: right to left, translated labels, remembered across a reload.
  await switchLanguage(page, 'ug');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await navLabel(page, '/'), ui.ug['nav.home']);
  assert.equal(await page.textContent('main h1'), ui.ug['account.title']);
  assert.equal(await page.textContent('label[for="account-new-name"]'), ui.ug['field.displayName'] + ' *');
  // Dates never fall back to English month names, even where the browser lacks Uyghur locale data.
  const since = await page.textContent('.facts time');
  assert.match(since, /2\d{3}/);
  assert.doesNotMatch(since, /[A-Za-z]/);
  const cookies = await context.cookies();
  assert.equal(cookies.find((c) => c.name === 'goji_lang')?.value, 'ug');
  // The layout mirrors: the brand mark sits at the right of the top bar, Home at the right of the tab bar.
  const mark = await page.locator('.brand-mark').boundingBox();
  assert.ok(mark.x > 360 / 2, `brand mark should be on the right in RTL, x=${mark.x}`);
  const home = await page.locator('nav.tabbar a[href="/"]').boundingBox();
  assert.ok(home.x > 360 / 2, `Home should be the rightmost tab in RTL, x=${home.x}`);
  await page.reload();
  await page.waitForSelector('#account-login');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.getAttribute('html', 'lang'), 'ug');
  assert.equal(await navLabel(page, '/account'), ui.ug['nav.me']);

  // English.
  await switchLanguage(page, 'en');
  assert.equal(await page.getAttribute('html', 'dir'), 'ltr');
  assert.equal(await navLabel(page, '/'), 'Home');
  assert.equal(await page.textContent('main h1'), ui.en['account.title']);

  // Change the display name.
  await page.fill('#account-new-name', 'Goji Tester');
  await page.click('#name-form button[type=submit]');
  await page.waitForSelector(`#name-form [role=status]:has-text("${ui.en['account.nameSaved']}")`);
  assert.equal(await page.textContent('#account-display-name'), 'Goji Tester');

  // A wrong current password is the server's field error, on that field.
  await page.fill('#account-old-password', 'not the password');
  await page.fill('#account-new-password', 'a new password 2');
  await page.fill('#account-confirm-password', 'a new password 2');
  await page.click('#password-form button[type=submit]');
  await page.waitForSelector('#password-form [role=alert]');
  assert.equal(await page.getAttribute('#account-old-password', 'aria-invalid'), 'true');

  await page.fill('#account-old-password', password);
  await page.click('#password-form button[type=submit]');
  await page.waitForSelector(`#password-form [role=status]:has-text("${ui.en['account.passwordChanged']}")`);

  // Log out: back home, the session is gone.
  await page.click('#logout');
  await page.waitForURL((url) => url.pathname === '/');
  const me = await page.evaluate(() => fetch('/api/v1/me').then((r) => r.status));
  assert.equal(me, 401);
  await page.goto('/account');
  await page.waitForURL('**/login?next=%2Faccount');

  // The new password works; English is still the language.
  await page.fill('#login-login', login);
  await page.fill('#login-password', 'a new password 2');
  await page.click('#login-form button[type=submit]');
  await page.waitForURL('**/account');
  assert.equal(await page.textContent('#account-display-name'), 'Goji Tester');
  assert.equal(await page.getAttribute('html', 'lang'), 'en');

  assert.deepEqual(errors, []);
  await context.close();
});

test('a session that ends elsewhere sends the visitor to the login page', async () => {
  const { context, page, errors } = await phonePage(browser);
  const login = uniqueLogin('gone');
  await registerThroughUi(page, { login, password: 'password 1234', displayName: 'Session' });

  // Logged in, the login page has nothing to offer: straight to the account.
  await page.goto('/login');
  await page.waitForURL('**/account');

  // The server forgets the session (the HttpOnly cookie is gone); the next write says 401.
  await context.clearCookies({ name: 'goji_session' });
  await page.fill('#account-new-name', 'Anyone');
  await page.click('#name-form button[type=submit]');
  await page.waitForURL('**/login?next=%2Faccount');
  await page.waitForSelector('#login-form');
  assert.deepEqual(errors, []);
  await context.close();
});
