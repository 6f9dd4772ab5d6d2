// The statistics dashboard through the browser: an administrator imports
// known historical sales of two townships of Jinghe County through the API;
// the county officer opens the dashboard from the account page, sees the net
// figure of last year, switches to its first quarter, drills into a township
// and back up through the breadcrumb, and downloads the CSV report.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import {
  ADMIN,
  apiInPage,
  launch,
  loginThroughUi,
  OFFICER,
  phonePage,
  ROOT,
  switchLanguage,
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const TOLI = '652722102'; // 托里镇
const JINGHE_TOWN = '652722100'; // 精河镇

let browser;
before(async () => {
  browser = await launch();
});
after(async () => {
  await browser?.close();
});

function shanghaiYear() {
  return Number(new Intl.DateTimeFormat('en-US', { timeZone: 'Asia/Shanghai', year: 'numeric' }).format(new Date()));
}

/** Posts a CSV body from inside the page, with the session cookie and the CSRF header. */
function postCsv(page, path, text) {
  return page.evaluate(
    async ({ path, text }) => {
      const csrf = document.cookie
        .split(';')
        .map((c) => c.trim())
        .find((c) => c.startsWith('goji_csrf='))
        ?.slice('goji_csrf='.length);
      const r = await fetch(`/api/v1${path}`, {
        method: 'POST',
        headers: { 'Content-Type': 'text/csv', 'X-CSRF-Token': decodeURIComponent(csrf ?? '') },
        body: text,
      });
      return { status: r.status, json: await r.json() };
    },
    { path, text },
  );
}

async function netCard(page) {
  return (await page.textContent('#stats-net .stats-card-value')).trim();
}

async function waitForNet(page, want) {
  await page.waitForFunction(
    (w) => document.querySelector('#stats-net .stats-card-value')?.textContent.trim() === w,
    want,
    { timeout: 15_000 },
  ).catch(() => {});
  assert.equal(await netCard(page), want);
}

test('the county officer reads, drills into and downloads the statistics', async () => {
  assert.ok(ADMIN.password, 'E2E_ADMIN_PASSWORD is not set: run through scripts/e2e.sh');
  const y = shanghaiYear() - 1;
  const run = uniqueLogin('st');

  // Known figures, imported by the administrator.
  const admin = await phonePage(browser);
  await loginThroughUi(admin.page, ADMIN);
  const shops = [];
  for (const [region, kind] of [
    [TOLI, 'farmer'],
    [JINGHE_TOWN, 'cooperative'],
  ]) {
    const r = await apiInPage(admin.page, 'POST', '/shops', {
      name: `统计看板测试店 ${kind}`,
      kind,
      region_code: region,
      poverty_relief: kind === 'farmer',
    });
    assert.equal(r.status, 201, JSON.stringify(r.json));
    assert.equal((await apiInPage(admin.page, 'POST', `/shops/${r.json.id}/verify`, {})).status, 200);
    shops.push(r.json.id);
  }
  const csv = [
    'external_id,shop_id,paid_at,total_fen,refunded_fen,refunded_at,category_id,buyer_region_code,channel,max_unit_price_fen',
    `${run}-1,${shops[0]},${y}-03-10T10:00:00+08:00,123456,0,,3,652722102200,live,5000`,
    `${run}-2,${shops[1]},${y}-02-10T10:00:00+08:00,200050,10001,${y}-02-12,3,652722102200,shop,150000`,
    `${run}-3,${shops[0]},${y}-05-05T10:00:00+08:00,50000,0,,3,652722102200,shop,50000`,
    `${run}-4,${shops[0]},${y - 1}-03-01T10:00:00+08:00,100000,0,,3,652722102200,shop,5000`,
  ].join('\n');
  const imported = await postCsv(admin.page, '/admin/imports/orders', csv);
  assert.equal(imported.status, 200, JSON.stringify(imported.json));
  assert.equal(imported.json.imported, 4, JSON.stringify(imported.json));
  await admin.context.close();

  const { context, page, errors } = await phonePage(browser);
  try {
    await loginThroughUi(page, OFFICER);
    await page.click('#link-stats');
    await page.waitForURL(/\/stats$/);
    await page.waitForSelector('#stats-net');

    // Last year: 1234.56 + 2000.50 − 100.01 + 500.00.
    await page.selectOption('#stats-kind', 'year');
    await page.selectOption('#stats-year', String(y));
    await page.waitForURL(new RegExp(`/stats\\?period=${y}$`));
    await waitForNet(page, '¥3,635.05');
    assert.match(await page.textContent('#stats-yoy .stats-card-value'), /\+263[.,]51%/);

    // Its first quarter.
    await page.selectOption('#stats-kind', 'quarter');
    await page.waitForURL(new RegExp(`/stats\\?period=${y}Q1$`));
    await waitForNet(page, '¥3,135.05');
    assert.equal((await page.textContent('#stats-orders .stats-card-value')).trim(), '2');
    const series = await page.$eval('#stats-chart rect.stats-bar-cur[data-month="3"]', (r) => r.dataset.fen);
    assert.equal(series, '123456');

    // Drill into 托里镇, then back up to the county.
    await page.click(`#stats-by-township tr[data-key="${TOLI}"] a.stats-drill`);
    await page.waitForURL(new RegExp(`/stats\\?region=${TOLI}&period=${y}Q1$`));
    await waitForNet(page, '¥1,234.56');
    assert.match(await page.textContent('#stats-crumbs'), /精河县.*托里镇/);
    assert.doesNotMatch(await page.textContent('#stats-crumbs'), /新疆/); // above the officer's county
    await page.click('#stats-crumbs li[data-code="652722"] a');
    await page.waitForURL(new RegExp(`/stats\\?region=652722&period=${y}Q1$`));
    await waitForNet(page, '¥3,135.05');

    // The CSV report of what is on screen.
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#stats-export-csv')]);
    assert.equal(download.suggestedFilename(), `goji-stats-652722-${y}Q1.csv`);
    const text = await readFile(await download.path(), 'utf8');
    assert.ok(text.startsWith('\uFEFF'), 'the CSV starts with a byte order mark');
    assert.match(text, /\r\n净销售额（元）,3135\.05\r\n/);
    assert.match(text, new RegExp(`\\r\\n${TOLI},托里镇,1234\\.56,1,`));

    // Fits the phone, every control named, and mirrored in Uyghur.
    assert.ok(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1));
    assert.deepEqual(await page.evaluate(unnamedControls), []);
    const shots = join(ROOT, 'docs', 'screenshots');
    mkdirSync(shots, { recursive: true });
    await page.screenshot({ path: join(shots, 'stats-zh-CN.png'), fullPage: true });
    await switchLanguage(page, 'ug');
    assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
    await page.waitForFunction(
      (w) => document.querySelector('#stats-net .stats-card-label')?.textContent.trim() === w,
      ui.ug['stats.net'],
    );
    assert.match(await page.getAttribute('#stats-export-pdf', 'href'), /lang=ug/);
    await page.screenshot({ path: join(shots, 'stats-ug.png'), fullPage: true });
    assert.deepEqual(errors, []);
  } finally {
    await context.close();
  }
});
