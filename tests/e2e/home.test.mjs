// The first load of the home page stays within its budget, measured from the
// browser's own network events; screenshots of the phone layout for the docs.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { launch, phonePage, ROOT, ui } from './support.mjs';

// Runs in the page before the app: the remembered language.
function setLang(l) {
  try {
    localStorage.setItem('goji_lang', l);
  } catch {
    // about:blank has no storage.
  }
}

const BUDGET_BYTES = 100 * 1024;
const SHOTS = join(ROOT, 'docs', 'screenshots');

let browser;
before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await browser?.close();
});

async function measureFirstLoad(lang) {
  const { context, page, errors } = await phonePage(browser);
  if (lang) {
    await context.addInitScript(setLang, lang);
  }
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  const requests = new Map();
  const finished = new Map();
  cdp.on('Network.requestWillBeSent', (e) => requests.set(e.requestId, e.request.url));
  cdp.on('Network.responseReceived', (e) => {
    const r = requests.get(e.requestId);
    if (r) requests.set(e.requestId, `${r} [${e.response.mimeType}]`);
  });
  cdp.on('Network.loadingFinished', (e) => finished.set(e.requestId, e.encodedDataLength));
  cdp.on('Network.loadingFailed', (e) => finished.set(e.requestId, 0));
  await page.goto('/', { waitUntil: 'networkidle' });
  await page.waitForSelector('#home-heading');
  const fonts = [...requests.values()].filter((u) => /\.(woff2?|ttf|otf)\b/.test(u));
  const total = [...finished.values()].reduce((a, b) => a + b, 0);
  const detail = [...finished.entries()].map(([id, n]) => `${n}\t${requests.get(id)}`).join('\n');
  return { context, page, errors, total, fonts, detail, count: finished.size };
}

test('the first load of the home page transfers at most 100 KB', async () => {
  const { context, errors, total, fonts, detail, count } = await measureFirstLoad();
  console.log(`home first load: ${(total / 1024).toFixed(1)} KB in ${count} responses\n${detail}`);
  assert.deepEqual(fonts, [], 'no web fonts: the system fonts serve');
  assert.ok(total > 0);
  assert.ok(total <= BUDGET_BYTES, `first load ${total} B exceeds ${BUDGET_BYTES} B`);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the Uyghur first load also stays within budget', async () => {
  const { context, total, detail } = await measureFirstLoad('ug');
  console.log(`home first load (ug): ${(total / 1024).toFixed(1)} KB\n${detail}`);
  assert.ok(total <= BUDGET_BYTES, `first load ${total} B exceeds ${BUDGET_BYTES} B`);
  await context.close();
});

for (const lang of ['zh-CN', 'ug']) {
  test(`screenshots at 360×800 in ${lang}`, async () => {
    const { context, page } = await phonePage(browser);
    await context.addInitScript(setLang, lang);
    await page.goto('/', { waitUntil: 'networkidle' });
    await page.waitForSelector('#home-heading');
    assert.equal(await page.textContent('#home-heading'), ui[lang]['home.heading']);
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'ug' ? 'rtl' : 'ltr');
    // Nothing sticks out sideways on a 360 px phone.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
    await page.evaluate(() => document.fonts.ready);
    await page.screenshot({ path: join(SHOTS, `home-${lang}.png`) });

    await page.goto('/login', { waitUntil: 'networkidle' });
    await page.waitForSelector('#login-form');
    await page.screenshot({ path: join(SHOTS, `login-${lang}.png`) });
    await context.close();
  });
}
