// The region picker walks the region API down to a village of Jinghe County.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, phonePage } from './support.mjs';

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

/** Waits until the select of a level has its options, then returns their values. */
async function options(page, level) {
  const select = `select[data-level="${level}"]`;
  await page.waitForSelector(`${select}:not([disabled]) option:nth-child(2)`, { state: 'attached' });
  return page.$$eval(`${select} option`, (os) => os.map((o) => o.value).filter(Boolean));
}

test('the region picker reaches a village in Jinghe County', async () => {
  const { context, page, errors } = await phonePage(browser);
  await page.goto('/regions');

  assert.ok((await options(page, 'province')).includes('650000'));
  await page.selectOption('select[data-level="province"]', '650000');
  assert.ok((await options(page, 'prefecture')).includes('652700'));
  await page.selectOption('select[data-level="prefecture"]', '652700');
  assert.ok((await options(page, 'county')).includes('652722'));
  await page.selectOption('select[data-level="county"]', '652722');

  const townships = await options(page, 'township');
  assert.ok(townships.length > 3, `Jinghe County has townships: ${townships}`);
  assert.ok(townships.every((c) => c.startsWith('652722') && c.length === 9));
  const township = townships.includes('652722102') ? '652722102' : townships[0];
  await page.selectOption('select[data-level="township"]', township);

  const villages = await options(page, 'village');
  assert.ok(villages.length > 0);
  assert.ok(villages.every((c) => c.startsWith(township) && c.length === 12));
  // Choose with the keyboard, as a person without a mouse would.
  await page.focus('select[data-level="village"]');
  await page.keyboard.press('ArrowDown');
  const village = await page.$eval('select[data-level="village"]', (s) => s.value);
  assert.ok(villages.includes(village), `keyboard chose ${village}`);

  await page.waitForSelector('#region-result .region-path');
  const path = await page.textContent('#region-result .region-path');
  assert.match(path, /新疆维吾尔自治区 \/ 博尔塔拉蒙古自治州 \/ 精河县 \/ .+ \/ .+/);
  assert.match(await page.textContent('#region-result .region-meta'), new RegExp(village));
  assert.equal(new URL(page.url()).searchParams.get('code'), village);

  // Each select has a visible label.
  for (const level of ['province', 'prefecture', 'county', 'township', 'village']) {
    const id = await page.getAttribute(`select[data-level="${level}"]`, 'id');
    assert.ok((await page.textContent(`label[for="${id}"]`)).trim().length > 0, `label for ${level}`);
  }

  // A shared link opens with the whole chain chosen.
  await page.reload();
  await page.waitForSelector(`select[data-level="village"] option[value="${village}"]`, { state: 'attached' });
  assert.equal(await page.$eval('select[data-level="county"]', (s) => s.value), '652722');
  assert.equal(await page.$eval('select[data-level="village"]', (s) => s.value), village);

  // Going back up a level drops the levels below it.
  await page.selectOption('select[data-level="county"]', '');
  await page.waitForSelector('select[data-level="township"]', { state: 'detached' });
  assert.equal(await page.locator('select[data-level="village"]').count(), 0);

  assert.deepEqual(errors, []);
  await context.close();
});
