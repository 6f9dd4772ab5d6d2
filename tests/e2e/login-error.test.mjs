// Failures from the server reach the user as its own localised message, with
// the request id, and field errors highlight the field the server names.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, phonePage, server, switchLanguage, uniqueLogin } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

async function failLogin(page) {
  await page.fill('#login-login', uniqueLogin('nobody'));
  await page.fill('#login-password', 'wrong password');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/login')),
    page.click('#login-form button[type=submit]'),
  ]);
  const problem = await response.json();
  await page.waitForSelector('#login-error');
  return { response, problem };
}

test('a failed login shows the server message and the request id, in the chosen language', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto('/login');

  const { response, problem } = await failLogin(page);
  assert.equal(response.status(), 401);
  assert.equal(problem.code, 'invalid_credentials');
  assert.equal(problem.detail, server['zh-CN']['problem.invalid_credentials']);
  assert.equal(await page.textContent('#login-error .alert-message'), problem.detail);
  assert.match(problem.request_id, /\S{8,}/);
  assert.equal(await page.textContent('#login-error .request-id'), problem.request_id);
  assert.equal(response.headers()['x-request-id'], problem.request_id);

  // In Uyghur the server answers in Uyghur (the goji_lang cookie and Accept-Language).
  await switchLanguage(page, 'ug');
  const ug = await failLogin(page);
  assert.equal(ug.problem.detail, server.ug['problem.invalid_credentials']);
  assert.equal(await page.textContent('#login-error .alert-message'), server.ug['problem.invalid_credentials']);
  assert.equal(await page.textContent('#login-error .request-id'), ug.problem.request_id);
  assert.notEqual(ug.problem.request_id, problem.request_id);
  await context.close();
});

test('a field error from the server marks that field', async () => {
  const { context, page } = await phonePage(browser);
  await page.goto('/register');
  await switchLanguage(page, 'en');
  await page.fill('#register-login', uniqueLogin('short'));
  await page.fill('#register-display-name', 'Short Password');
  await page.fill('#register-password', 'short');
  await page.fill('#register-confirm', 'short');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/auth/register')),
    page.click('#register-form button[type=submit]'),
  ]);
  const problem = await response.json();
  assert.equal(response.status(), 400);
  assert.equal(problem.code, 'password');
  assert.equal(await page.getAttribute('#register-password', 'aria-invalid'), 'true');
  assert.equal(await page.getAttribute('#register-login', 'aria-invalid'), null);
  assert.equal(await page.textContent('#register-password-error'), problem.detail);
  assert.match(problem.detail, /8/);
  // Focus moves to the field to fix.
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'register-password');
  assert.equal(await page.textContent('#register-error .request-id'), problem.request_id);
  await context.close();
});
