// The catalog through the browser: a seller applies for a shop in Jinghe
// County, the county officer verifies it in the queue, the seller lists a
// product with two SKUs, pictures, stock and a traceable batch; a buyer finds
// it (Chinese and pinyin initials) and opens its page; seller text is shown
// as text, never run. The tests of this file share the shop and the product,
// in order.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { makePng } from './png.mjs';
import {
  apiInPage,
  BASE_URL,
  launch,
  loginThroughUi,
  OFFICER,
  phonePage,
  pickRegions,
  registerThroughUi,
  ROOT,
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const SHOTS = join(ROOT, 'docs', 'screenshots');
const JINGHE = [
  ['province', '650000'],
  ['prefecture', '652700'],
  ['county', '652722'],
];
const TITLE = '精河红枸杞 特级 头茬鲜果';
const SCRIPT_TITLE = '<script>alert(1)</script>枸杞礼盒';

let browser;
/** The seller's browser, kept logged in across the tests of this file. */
let seller;
const state = { shopId: null, shopName: null, township: null, productId: null, skuIds: [], batchCode: null };

before(async () => {
  browser = await launch();
  mkdirSync(SHOTS, { recursive: true });
  seller = await phonePage(browser);
  const login = uniqueLogin('seller');
  await registerThroughUi(seller.page, { login, password: 'seller password 1', displayName: '枸杞卖家' });
});
after(async () => {
  await seller?.context.close();
  await browser?.close();
});

/** Fails at once, naming the endpoint, when the server does not offer it yet. */
async function requireEndpoint(path, what) {
  const r = await fetch(BASE_URL + path);
  assert.notEqual(r.status, 404, `${what} is not served yet (GET ${path} → 404)`);
}

function needs(...keys) {
  for (const k of keys) assert.ok(state[k], `an earlier test did not provide ${k}`);
}

async function assertNamedControls(page, where) {
  assert.deepEqual(await page.evaluate(unnamedControls), [], `${where}: unnamed controls`);
  assert.equal(await page.locator('main h1').count(), 1, `${where}: one h1`);
}

async function applyForShop(page, name) {
  await page.goto('/seller');
  await page.waitForSelector('#apply-form');
  await page.fill('#shop-name', name);
  await page.selectOption('#shop-kind', 'cooperative');
  const [, , , township] = await pickRegions(page, 'shop-region', [...JINGHE, ['township', '652722102']]);
  await page.check('#shop-relief');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/shops') && r.request().method() === 'POST'),
    page.click('#apply-form button[type=submit]'),
  ]);
  assert.equal(response.status(), 201);
  const shop = await response.json();
  await page.waitForSelector(`#my-shops [data-shop-id="${shop.id}"][data-status="pending"]`);
  return { shop, township };
}

test('a seller applies for a shop in Jinghe County; the officer verifies it in the queue, rejects another', async () => {
  const { page, errors } = seller;
  // The Me page leads to the seller console; only officers see the queue.
  await page.goto('/account');
  await page.waitForSelector('#link-seller');
  assert.equal(await page.locator('#link-officer').count(), 0);
  await page.click('#link-seller');
  await page.waitForURL('**/seller');
  await page.waitForSelector('#apply-form');
  await assertNamedControls(page, '/seller');

  // A shop must sit in a township or village: a county alone is refused in the browser.
  await page.fill('#shop-name', '只选到县');
  await pickRegions(page, 'shop-region', JINGHE);
  await page.click('#apply-form button[type=submit]');
  await page.waitForSelector('#shop-region-error');

  state.shopName = `精河枸杞合作社${Date.now().toString(36).slice(-4)}`;
  const { shop, township } = await applyForShop(page, state.shopName);
  assert.equal(shop.status, 'pending');
  assert.equal(shop.region_code, township);
  assert.equal(shop.poverty_relief, true);
  assert.equal(shop.kind, 'cooperative');
  state.shopId = shop.id;
  state.township = township;
  const badge = await page.textContent(`#my-shops [data-shop-id="${shop.id}"] .badge-status-pending`);
  assert.equal(badge, ui['zh-CN']['shopStatus.pending']);
  // A second application, to be rejected.
  const { shop: second } = await applyForShop(page, `待驳回的店${Date.now().toString(36).slice(-4)}`);

  // The officer.
  assert.ok(OFFICER.password, 'E2E_OFFICER_PASSWORD is set by scripts/e2e.sh');
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  await officer.page.click('#link-officer');
  await officer.page.waitForURL('**/officer/shops');
  const item = `#shop-queue [data-shop-id="${shop.id}"]`;
  await officer.page.waitForSelector(item);
  await assertNamedControls(officer.page, '/officer/shops');
  assert.equal((await officer.page.textContent(`${item} h2`)).trim(), state.shopName);
  // The region path comes from the region API.
  await officer.page.waitForSelector(`${item} .region-path-text:has-text("精河县")`);
  assert.match(await officer.page.textContent(`${item} .region-path-text`), /新疆维吾尔自治区 \/ 博尔塔拉蒙古自治州 \/ 精河县 \/ /);
  assert.ok(await officer.page.isVisible(`${item} .badge-relief`));

  await officer.page.click(`${item} [data-action=verify]`);
  await officer.page.waitForSelector(item, { state: 'detached' });
  await officer.page.waitForSelector(`[role=status]:has-text("${state.shopName}")`);

  // Rejecting needs a reason.
  const other = `#shop-queue [data-shop-id="${second.id}"]`;
  await officer.page.click(`${other} [data-action=reject]`);
  await officer.page.click(`${other} [data-action=confirm-reject]`);
  await officer.page.waitForSelector(`#shop-${second.id}-reason[aria-invalid=true]`);
  await officer.page.fill(`#shop-${second.id}-reason`, '营业执照照片不清晰，请重新提交。');
  await officer.page.click(`${other} [data-action=confirm-reject]`);
  await officer.page.waitForSelector(other, { state: 'detached' });
  assert.deepEqual(officer.errors, []);
  await officer.context.close();

  // The seller sees both decisions.
  await page.goto('/seller');
  await page.waitForSelector(`#my-shops [data-shop-id="${shop.id}"][data-status="verified"]`);
  await page.waitForSelector(`#my-shops [data-shop-id="${second.id}"][data-status="rejected"]`);
  assert.match(await page.textContent(`#my-shops [data-shop-id="${second.id}"] .reject-reason`), /营业执照照片不清晰/);
  // A buyer cannot take the queue.
  const queue = await apiInPage(page, 'GET', '/shops?status=pending');
  assert.equal(queue.status, 403);
  assert.deepEqual(errors, []);
});

test('the seller creates a product with two SKUs in the editor; "59.80" yuan is stored as 5980 fen', async () => {
  needs('shopId');
  const { page, errors } = seller;
  await page.goto('/seller');
  await page.click(`[data-manage-shop="${state.shopId}"]`);
  await page.waitForURL(`**/seller/shops/${state.shopId}`);
  await page.click('#new-product');
  await page.waitForURL(`**/seller/shops/${state.shopId}/new`);
  await page.waitForSelector('#product-form');
  // The origin starts at the shop's county.
  await page.waitForSelector('#product-origin-county:not([disabled])');
  assert.equal(await page.$eval('#product-origin-county', (s) => s.value), '652722');

  await page.fill('#product-title', TITLE);
  await page.fill('#product-description', '精河县托里镇戈壁滩种植。\n当季头茬采摘，自然晾晒。');
  await page.selectOption('#product-category', '111');
  await page.fill('#sku-1-spec', '250克袋装 特级');
  await page.fill('#sku-1-price', '59.80');
  await page.fill('#sku-1-stock', '100');
  await page.fill('#sku-1-weight', '260');
  await page.click('#sku-add');
  await page.fill('#sku-2-spec', '500克礼盒');
  await page.fill('#sku-2-price', '12.345');
  await page.fill('#sku-2-stock', '50');
  await page.fill('#sku-2-weight', '620');
  await assertNamedControls(page, 'product editor');

  // Three decimals are refused in the browser, on that field.
  await page.click('#product-form button[type=submit]');
  await page.waitForSelector('#sku-2-price[aria-invalid=true]');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'sku-2-price');
  // A third row can be added and removed again.
  await page.click('#sku-add');
  await page.waitForSelector('#sku-3-spec');
  await page.click('#sku-3-remove');
  await page.waitForSelector('#sku-3-spec', { state: 'detached' });

  await page.fill('#sku-2-price', '99');
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/shops/${state.shopId}/products`) && r.request().method() === 'POST'),
    page.click('#product-form button[type=submit]'),
  ]);
  assert.equal(response.status(), 201);
  const sent = JSON.parse(response.request().postData());
  assert.deepEqual(
    sent.skus.map((s) => [s.price_fen, s.stock, s.weight_g]),
    [
      [5980, 100, 260],
      [9900, 50, 620],
    ],
  );
  const created = await response.json();
  state.productId = created.id;
  await page.waitForURL(`**/seller/products/${created.id}?created=1`);
  await page.waitForSelector('#product-created');

  // What the server stored.
  const stored = await apiInPage(page, 'GET', `/products/${created.id}`);
  assert.equal(stored.status, 200);
  assert.equal(stored.json.title, TITLE);
  assert.equal(stored.json.category_id, '111');
  assert.equal(stored.json.origin_region_code, '652722');
  assert.equal(stored.json.description, '精河县托里镇戈壁滩种植。\n当季头茬采摘，自然晾晒。');
  assert.deepEqual(
    stored.json.skus.map((s) => [s.spec, s.price_fen]),
    [
      ['250克袋装 特级', 5980],
      ['500克礼盒', 9900],
    ],
  );
  state.skuIds = stored.json.skus.map((s) => s.id);

  // Stock of one SKU.
  const [first] = state.skuIds;
  await page.fill(`#stock-${first}`, '80');
  await page.click(`#stock-form-${first} button[type=submit]`);
  await page.waitForSelector(`#stock-form-${first} [role=status]:has-text("${ui['zh-CN']['editor.stockSaved']}")`);
  const afterStock = await apiInPage(page, 'GET', `/products/${created.id}`);
  assert.equal(afterStock.json.skus.find((s) => s.id === first).stock, 80);

  // Options of a product that exists: add a third, fix its price, refuse a
  // bad one in its own cell, then take it off offer again.
  const zh = ui['zh-CN'];
  await page.fill('#new-sku-spec', '1千克家庭装');
  await page.fill('#new-sku-price', '99.00');
  await page.fill('#new-sku-stock', '5');
  await page.fill('#new-sku-weight', '1050');
  await page.click('#add-sku-form button[type=submit]');
  await page.waitForSelector(`#add-sku-form [role=status]:has-text("${zh['editor.skuAdded']}")`);
  const withThird = await apiInPage(page, 'GET', `/products/${created.id}`);
  assert.equal(withThird.json.skus.length, 3);
  const third = withThird.json.skus[2];
  assert.deepEqual([third.spec, third.price_fen, third.stock, third.weight_g], ['1千克家庭装', 9900, 5, 1050]);
  await page.fill(`#sku-${third.id}-price`, '1.2.3');
  await page.click(`#sku-form-${third.id} button[type=submit]`);
  await page.waitForSelector(`#sku-${third.id}-price-error:has-text("${zh['sku.priceInvalid']}")`);
  await page.fill(`#sku-${third.id}-price`, '88.8');
  await page.click(`#sku-form-${third.id} button[type=submit]`);
  await page.waitForSelector(`#sku-form-${third.id} [role=status]:has-text("${zh['editor.saved']}")`);
  const repriced = await apiInPage(page, 'GET', `/products/${created.id}`);
  assert.equal(repriced.json.skus[2].price_fen, 8880);
  await page.click(`li[data-sku-id="${third.id}"] .sku-remove button`);
  await page.click(`#retire-${third.id}`);
  await page.waitForSelector(`li[data-sku-id="${third.id}"]`, { state: 'detached' });
  const afterRetire = await apiInPage(page, 'GET', `/products/${created.id}`);
  assert.deepEqual(
    afterRetire.json.skus.map((s) => s.id),
    state.skuIds,
  );

  // Details: a new description through PATCH.
  await page.fill('#product-description', '精河县托里镇戈壁滩种植。\n当季头茬采摘，自然晾晒。\n开袋即食。');
  await page.click('#details-form button[type=submit]');
  await page.waitForSelector(`#details-form [role=status]:has-text("${ui['zh-CN']['editor.saved']}")`);
  const patched = await apiInPage(page, 'GET', `/products/${created.id}`);
  assert.match(patched.json.description, /开袋即食。$/);
  assert.equal(patched.json.title, TITLE);
  assert.deepEqual(errors, []);
});

test('the seller takes products off sale and back in bulk', async () => {
  needs('shopId', 'productId');
  const { page, errors } = seller;
  await page.goto(`/seller/shops/${state.shopId}`);
  const row = `#seller-products [data-product-id="${state.productId}"]`;
  await page.waitForSelector(row);
  await assertNamedControls(page, 'seller shop');
  await page.check(`#pick-${state.productId}`);
  await page.click('#bulk-off');
  await page.waitForSelector(`${row}[data-on-sale=false]`);
  assert.equal((await apiInPage(page, 'GET', `/products/${state.productId}`)).json.on_sale, false);
  // Off sale, the product is gone for everyone but the shop's members.
  const anonymous = await fetch(`${BASE_URL}/api/v1/products/${state.productId}`);
  assert.equal(anonymous.status, 404);
  // Members still see it in their list after a reload.
  await page.reload();
  await page.waitForSelector(`${row}[data-on-sale=false]`);
  await page.check('#select-all');
  await page.click('#bulk-on');
  await page.waitForSelector(`${row}[data-on-sale=true]`);
  assert.equal((await apiInPage(page, 'GET', `/products/${state.productId}`)).json.on_sale, true);
  assert.deepEqual(errors, []);
});

test('the seller adds a traceable batch and sees its code, trace link and QR code', async () => {
  needs('productId', 'township');
  const { page, errors } = seller;
  await page.goto(`/seller/products/${state.productId}`);
  await page.waitForSelector('#batch-form');
  // The origin starts at the shop's township; the batch comes from one of its villages.
  await page.waitForSelector('#batch-origin-township:not([disabled])');
  assert.equal(await page.$eval('#batch-origin-township', (s) => s.value), state.township);
  const [village] = await pickRegions(page, 'batch-origin', [['village', null]]);
  await page.fill('#batch-cert', '绿色食品 A 级');
  // A harvest in the future is refused.
  await page.fill('#batch-date', '2999-01-01');
  await page.click('#batch-form button[type=submit]');
  await page.waitForSelector('#batch-date[aria-invalid=true]');
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
  await page.fill('#batch-date', today);
  const [response] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/products/${state.productId}/batches`)),
    page.click('#batch-form button[type=submit]'),
  ]);
  assert.equal(response.status(), 201);
  const batch = await response.json();
  assert.equal(batch.origin_region_code, village);
  assert.equal(batch.harvested_on, today);
  await page.waitForSelector('#batch-created');
  const code = (await page.textContent('#batch-created .batch-code')).trim();
  assert.equal(code, batch.code);
  assert.match(code, /^[0-9A-Z]{4,16}$/);
  state.batchCode = code;
  // A plain link to the server-rendered trace page, and the QR image.
  assert.equal(await page.getAttribute('#batch-created .trace-link', 'href'), `/t/${code}`);
  assert.equal(await page.getAttribute('#batch-created img.qr', 'src'), `/api/v1/batches/${code}/qr.svg`);
  assert.ok(await page.getAttribute('#batch-created img.qr', 'alt'));
  const trace = await apiInPage(page, 'GET', `/batches/${code}`);
  assert.equal(trace.status, 200);
  assert.equal(trace.json.product.id, state.productId);
  await assertNamedControls(page, 'product editor (edit)');
  assert.deepEqual(errors, []);
});

test('the batch QR code and the trace page are served', async () => {
  needs('batchCode');
  const qr = await fetch(`${BASE_URL}/api/v1/batches/${state.batchCode}/qr.svg`);
  assert.equal(qr.status, 200, 'GET /api/v1/batches/{code}/qr.svg');
  assert.match(qr.headers.get('content-type') ?? '', /image\/svg\+xml/);
  assert.match(await qr.text(), /<svg/);
  const page = await fetch(`${BASE_URL}/t/${state.batchCode}`);
  assert.equal(page.status, 200, 'GET /t/{code}');
  const html = await page.text();
  assert.match(html, new RegExp(state.batchCode));
  assert.doesNotMatch(html, /<div id="app">/, 'the trace page is the server’s, not the app’s fallback');
});

test('the seller uploads pictures, reorders them and deletes one', async () => {
  needs('productId');
  const { page, errors } = seller;
  await page.goto(`/seller/products/${state.productId}`);
  await page.waitForSelector('#image-input', { state: 'attached' });
  const files = [
    { name: 'goji-1.png', mimeType: 'image/png', buffer: makePng(96, 72, 1) },
    { name: 'goji-2.png', mimeType: 'image/png', buffer: makePng(80, 80, 2) },
    { name: 'goji-3.png', mimeType: 'image/png', buffer: makePng(64, 96, 3) },
  ];
  const [firstUpload] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/products/${state.productId}/images`)),
    page.setInputFiles('#image-input', files),
  ]);
  assert.equal(firstUpload.status(), 201, `POST /api/v1/products/{id}/images → ${firstUpload.status()}`);
  await page.waitForFunction(() => document.querySelectorAll('#image-list .image-item').length === 3);
  // Thumbnails really load (lazily: the list is scrolled into view), in upload order.
  await page.locator('#image-list').scrollIntoViewIfNeeded();
  await page.waitForFunction(() =>
    [...document.querySelectorAll('#image-list img')].every((i) => i.complete && i.naturalWidth > 0),
  );
  const order = () => page.$$eval('#image-list .image-item', (items) => items.map((i) => i.dataset.hash));
  const uploaded = await order();
  assert.equal(new Set(uploaded).size, 3);

  // The second moves up: [2, 1, 3].
  await page.click('#image-list .image-item:nth-child(2) [data-action=up]');
  await page.waitForFunction((h) => document.querySelector('#image-list .image-item')?.dataset.hash === h, uploaded[1]);
  assert.deepEqual(await order(), [uploaded[1], uploaded[0], uploaded[2]]);
  // The (now) last is deleted.
  await page.click('#image-list .image-item:nth-child(3) [data-action=delete]');
  await page.waitForFunction(() => document.querySelectorAll('#image-list .image-item').length === 2);
  const stored = await apiInPage(page, 'GET', `/products/${state.productId}`);
  assert.deepEqual(
    stored.json.images.map((i) => i.hash),
    [uploaded[1], uploaded[0]],
  );
  // A renamed non-image is refused with the server's message.
  await page.setInputFiles('#image-input', [{ name: 'fake.png', mimeType: 'image/png', buffer: Buffer.from('not a picture at all') }]);
  await page.waitForSelector('#images-error');
  assert.equal(await page.locator('#image-list .image-item').count(), 2);
  assert.deepEqual(errors, []);
});

test('a buyer finds the product by 枸杞 and by gq and opens its page', async () => {
  needs('productId', 'shopId');
  await requireEndpoint('/api/v1/products?q=gq', 'Product search');
  const { context, page, errors } = await phonePage(browser);
  await page.goto('/');
  await page.fill('#search-q', '枸杞');
  await page.press('#search-q', 'Enter');
  await page.waitForURL('**/search?q=*');
  const card = `#search-results [data-product-id="${state.productId}"]`;
  await page.waitForSelector(card);
  assert.match(await page.textContent(`${card} .product-card-price`), /¥59\.80/);
  assert.equal(await page.textContent(`${card} .product-card-shop`), state.shopName);
  await assertNamedControls(page, '/search?q=枸杞');
  // Facets come with counts; a category chip filters, the address keeps it.
  await page.click('#search-filters summary');
  await page.waitForSelector('#facet-category .chip-toggle');
  await page.click('#facet-category [data-facet="category-111"]');
  await page.waitForURL((u) => u.searchParams.get('category') === '111');
  await page.waitForSelector(card);
  await page.selectOption('#search-sort', 'price_asc');
  await page.waitForURL((u) => u.searchParams.get('sort') === 'price_asc');
  await page.waitForSelector(card);

  await page.goto('/search?q=gq');
  await page.waitForSelector(card);
  await page.click(card);
  await page.waitForURL(`**/product/${state.productId}`);
  await page.waitForSelector('#product-title');
  assert.equal(await page.textContent('#product-title'), TITLE);
  assert.equal(await page.textContent('#product-price'), '¥59.80');
  assert.match(await page.textContent('#product-stock'), /80/);
  await page.click(`#sku-picker [data-sku-id="${state.skuIds[1]}"]`);
  assert.equal(await page.getAttribute(`#sku-picker [data-sku-id="${state.skuIds[1]}"]`, 'aria-pressed'), 'true');
  assert.equal(await page.textContent('#product-price'), '¥99.00');
  assert.match(await page.textContent('#product-stock'), /50/);
  // Line breaks of the description are kept, as text.
  const description = await page.$eval('#product-description', (p) => ({ text: p.textContent, children: p.children.length, height: p.getBoundingClientRect().height, line: parseFloat(getComputedStyle(p).lineHeight) }));
  assert.equal(description.children, 0);
  assert.match(description.text, /自然晾晒。\n开袋即食。/);
  assert.ok(description.height >= 2.5 * description.line, 'three lines');
  // Tapping the picture shows the large one; the dialog closes again.
  await page.click('#product-gallery .gallery-main');
  await page.waitForSelector('dialog.lightbox[open] img');
  assert.match(await page.getAttribute('dialog.lightbox img', 'src'), /-large\.webp$/);
  await page.click('dialog.lightbox .lightbox-close');
  await page.waitForSelector('dialog.lightbox[open]', { state: 'detached' });
  // The shop card leads to the shop page.
  assert.equal(await page.getAttribute('.shop-card-name a', 'href'), `/shop/${state.shopId}`);
  await assertNamedControls(page, 'product page');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the product page lists the batches with links to their trace pages', async () => {
  needs('productId', 'batchCode');
  const { context, page, errors } = await phonePage(browser);
  await page.goto(`/product/${state.productId}`);
  await page.waitForSelector('#product-title');
  await page.waitForSelector('#product-batches', { timeout: 5_000 }).catch(() => {
    throw new Error('no batches on the product page: GET /api/v1/products/{id} has no "batches" yet');
  });
  assert.equal(await page.textContent('#product-batches .batch-code'), state.batchCode);
  assert.equal(await page.getAttribute('#product-batches .trace-link', 'href'), `/t/${state.batchCode}`);
  // A normal link: the browser loads the server's page.
  await Promise.all([page.waitForURL(`**/t/${state.batchCode}`), page.click('#product-batches .trace-link')]);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the shop page shows the shop card, its region and its products', async () => {
  needs('shopId', 'productId');
  const { context, page, errors } = await phonePage(browser);
  await page.goto(`/shop/${state.shopId}`);
  await page.waitForSelector('#shop-name');
  assert.equal(await page.textContent('#shop-name'), state.shopName);
  await page.waitForSelector('#shop-region:has-text("精河县")');
  assert.ok(await page.isVisible('.shop-header .badge-relief'));
  await page.waitForSelector(`#shop-products [data-product-id="${state.productId}"]`);
  await assertNamedControls(page, 'shop page');
  assert.deepEqual(errors, []);
  await context.close();
});

test('the categories page opens the search filtered by a category', async () => {
  const { context, page, errors } = await phonePage(browser);
  await page.goto('/categories');
  await page.waitForSelector('#category-tree [data-category-id="111"]');
  await assertNamedControls(page, '/categories');
  await page.click('#category-tree [data-category-id="111"]');
  await page.waitForURL((u) => u.pathname === '/search' && u.searchParams.get('category') === '111');
  await page.waitForSelector('main h1:has-text("红枸杞")');
  assert.deepEqual(errors, []);
  await context.close();
});

test('a title with <script> shows literally and nothing runs', async () => {
  needs('shopId');
  const created = await apiInPage(seller.page, 'POST', `/shops/${state.shopId}/products`, {
    title: SCRIPT_TITLE,
    description: '<img src=x onerror="alert(2)">\n<b>第二行</b>',
    category_id: '11',
    origin_region_code: '652722',
    skus: [{ spec: '<i>1 kg</i>', price_fen: 12800, stock: 5, weight_g: 1000 }],
  });
  assert.equal(created.status, 201);
  const { context, page, errors } = await phonePage(browser);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/product/${created.json.id}`);
  await page.waitForSelector('#product-title');
  assert.equal(await page.textContent('#product-title'), SCRIPT_TITLE);
  assert.equal(await page.textContent('#product-description'), '<img src=x onerror="alert(2)">\n<b>第二行</b>');
  assert.match(await page.textContent('#sku-picker'), /<i>1 kg<\/i>/);
  assert.equal(await page.locator('main script, main img[src="x"], main b, main i').count(), 0);
  // The document title too.
  assert.ok((await page.title()).startsWith(SCRIPT_TITLE));
  await page.waitForTimeout(300);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('search results show a <script> title as text', async () => {
  await requireEndpoint('/api/v1/products?q=x', 'Product search');
  const { context, page, errors } = await phonePage(browser);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    void d.dismiss();
  });
  await page.goto(`/search?q=${encodeURIComponent('礼盒')}`);
  await page.waitForSelector('#search-results .product-card-title');
  const titles = await page.$$eval('#search-results .product-card-title', (ts) => ts.map((t) => t.textContent));
  assert.ok(titles.includes(SCRIPT_TITLE), `titles: ${titles}`);
  assert.equal(await page.locator('main script').count(), 0);
  assert.deepEqual(dialogs, []);
  assert.deepEqual(errors, []);
  await context.close();
});

test('the home page shows new and best-selling products', async () => {
  needs('productId');
  await requireEndpoint('/api/v1/products?sort=new&limit=6', 'The product list');
  const { context, page, errors } = await phonePage(browser);
  await page.goto('/');
  await page.waitForSelector('#home-categories .chip');
  await page.waitForSelector(`#home-new [data-product-id="${state.productId}"]`);
  await page.waitForSelector('#home-best .product-card');
  // Pictures load lazily with their size reserved.
  for (const img of await page.$$('#home-new img')) {
    assert.equal(await img.getAttribute('loading'), 'lazy');
    assert.ok(Number(await img.getAttribute('width')) > 0 && Number(await img.getAttribute('height')) > 0);
  }
  assert.deepEqual(errors, []);
  await context.close();
});

test('search pages on with "load more" and filters toggle off again', async () => {
  needs('shopId');
  await requireEndpoint('/api/v1/products?q=x', 'Product search');
  const tag = `lot${Date.now().toString(36)}`;
  for (let i = 1; i <= 23; i++) {
    const r = await apiInPage(seller.page, 'POST', `/shops/${state.shopId}/products`, {
      title: `试吃装 ${i} 号 ${tag}`,
      description: '',
      category_id: i % 2 ? '12' : '13',
      origin_region_code: '652722',
      skus: [{ spec: '100g', price_fen: 1000 + i, stock: 3, weight_g: 100 }],
    });
    assert.equal(r.status, 201);
  }
  const { context, page, errors } = await phonePage(browser);
  await page.goto(`/search?q=${tag}&sort=price_asc`);
  await page.waitForSelector('#search-results');
  const count = () => page.locator('#search-results .product-card').count();
  assert.equal(await count(), 20);
  assert.match(await page.textContent('#search-count'), /23/);
  await page.click('#search-more');
  await page.waitForFunction(() => document.querySelectorAll('#search-results .product-card').length === 23);
  await page.waitForSelector('#search-more', { state: 'detached' });
  const prices = await page.$$eval('#search-results .product-card-price', (ps) => ps.map((p) => p.textContent));
  assert.equal(prices[0], '¥10.01');
  assert.equal(prices[22], '¥10.23');
  // A chip filters; pressed again, it lets go.
  await page.click('#search-filters summary');
  await page.click('#facet-category [data-facet="category-13"]');
  await page.waitForURL((u) => u.searchParams.get('category') === '13');
  await page.waitForFunction(() => document.querySelectorAll('#search-results .product-card').length === 11);
  assert.equal(await page.getAttribute('#facet-category [data-facet="category-13"]', 'aria-pressed'), 'true');
  await page.click('#facet-category [data-facet="category-13"]');
  await page.waitForURL((u) => !u.searchParams.has('category'));
  await page.waitForFunction(() => document.querySelectorAll('#search-results .product-card').length === 20);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const lang of ['zh-CN', 'ug']) {
  test(`product page screenshot at 360×800 in ${lang}`, async () => {
    needs('productId');
    const { context, page, errors } = await phonePage(browser);
    await context.addInitScript((l) => {
      try {
        localStorage.setItem('goji_lang', l);
      } catch {
        // about:blank has no storage.
      }
    }, lang);
    await page.goto(`/product/${state.productId}`, { waitUntil: 'networkidle' });
    await page.waitForSelector('#product-title');
    assert.equal(await page.getAttribute('html', 'dir'), lang === 'ug' ? 'rtl' : 'ltr');
    assert.equal(await page.textContent('#sku-picker legend'), ui[lang]['product.chooseSku']);
    // Nothing sticks out sideways on a 360 px phone.
    assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
    await page.evaluate(() => document.fonts.ready);
    await page.waitForFunction(() => [...document.images].filter((i) => i.loading !== 'lazy').every((i) => i.complete));
    await page.screenshot({ path: join(SHOTS, `product-${lang}.png`) });
    assert.deepEqual(errors, []);
    await context.close();
  });
}
