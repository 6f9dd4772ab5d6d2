// The buyer's address book and cart through the browser: addresses with
// browser-side checks and the region picker down to a village, the default
// moving, an inline delete confirmation; a visitor's cart kept in the browser
// that survives logging in and merges into the account's; quantities and
// removal on the cart page with the sums following; a line whose product
// went off sale shown greyed and left out of the sums. Two shops in Jinghe
// County, verified by the county officer that scripts/e2e.sh adds, sell the
// products. The tests of this file share the buyer and the products, in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { cartTotals, groupByShop } from '../../web/src/cartTotals.js';
import {
  apiInPage,
  launch,
  loginThroughUi,
  OFFICER,
  phonePage,
  pickRegions,
  registerThroughUi,
  switchLanguage,
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const zh = ui['zh-CN'];
const JINGHE = [
  ['province', '650000'],
  ['prefecture', '652700'],
  ['county', '652722'],
];

let browser;
/** The seller's browser (owner of both shops), logged in for the whole file. */
let seller;
/** The buyer's own browser, logged in from the first test on. */
let buyer;
const BUYER = { login: uniqueLogin('buyer'), password: 'buyer password 1', displayName: '买家小王' };
/**
 * Shop A sells product A with two SKUs (¥12.80 × 50 in stock, ¥25.90 × 3);
 * shop B sells product B with one (¥9.90 × 20).
 */
const state = { shopA: null, shopB: null, productA: null, productB: null, skuA1: null, skuA2: null, skuB: null };

async function assertNamedControls(page, where) {
  assert.deepEqual(await page.evaluate(unnamedControls), [], `${where}: unnamed controls`);
  assert.equal(await page.locator('main h1').count(), 1, `${where}: one h1`);
}

/** Waits until a text box shows `value` (the page re-renders a moment after an event). */
async function expectValue(page, selector, value) {
  try {
    await page.waitForFunction(([sel, v]) => document.querySelector(sel)?.value === v, [selector, value], {
      timeout: 5_000,
    });
  } catch {
    assert.equal(await page.inputValue(selector), value, selector);
  }
}

function needs(...keys) {
  for (const k of keys) assert.ok(state[k], `the set-up did not provide ${k}`);
}

/** Fails at once, naming the endpoint, when the server does not offer it yet. */
async function requireEndpoint(page, path) {
  const r = await apiInPage(page, 'GET', path);
  assert.notEqual(r.status, 404, `GET /api/v1${path} → 404: the server does not offer it yet`);
}

async function createShop(name, township) {
  const shop = await apiInPage(seller.page, 'POST', '/shops', {
    name,
    kind: 'farmer',
    region_code: township,
    poverty_relief: false,
  });
  assert.equal(shop.status, 201, JSON.stringify(shop.json));
  return shop.json.id;
}

async function createProduct(shopId, title, skus) {
  const r = await apiInPage(seller.page, 'POST', `/shops/${shopId}/products`, {
    title,
    description: '',
    category_id: '111',
    origin_region_code: '652722',
    skus,
  });
  assert.equal(r.status, 201, JSON.stringify(r.json));
  return r.json;
}

before(async () => {
  browser = await launch();
  seller = await phonePage(browser);
  await registerThroughUi(seller.page, {
    login: uniqueLogin('cartsell'),
    password: 'seller password 1',
    displayName: '卖家',
  });
  const townships = await apiInPage(seller.page, 'GET', '/regions/652722/children?limit=100');
  assert.equal(townships.status, 200);
  const township = townships.json.items[0].code;
  const tag = Date.now().toString(36).slice(-4);
  state.shopA = await createShop(`购物车测试甲店${tag}`, township);
  state.shopB = await createShop(`购物车测试乙店${tag}`, township);

  // The county officer verifies both shops.
  assert.ok(OFFICER.password, 'E2E_OFFICER_PASSWORD is set by scripts/e2e.sh');
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  for (const id of [state.shopA, state.shopB]) {
    const r = await apiInPage(officer.page, 'POST', `/shops/${id}/verify`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
  }
  await officer.context.close();

  const a = await createProduct(state.shopA, `精河枸杞 购物车测试 ${tag}`, [
    { spec: '250克袋装', price_fen: 1280, stock: 50, weight_g: 260 },
    { spec: '500克礼盒', price_fen: 2590, stock: 3, weight_g: 600 },
  ]);
  const b = await createProduct(state.shopB, `精河红枣 购物车测试 ${tag}`, [
    { spec: '1千克', price_fen: 990, stock: 20, weight_g: 1000 },
  ]);
  state.productA = a.id;
  state.productB = b.id;
  [state.skuA1, state.skuA2] = a.skus.map((s) => s.id);
  state.skuB = b.skus[0].id;

  buyer = await phonePage(browser);
});
after(async () => {
  await seller?.context.close();
  await buyer?.context.close();
  await browser?.close();
});

test('cart sums are integer fen per shop and in all, without the lines that cannot be bought', () => {
  const lines = [
    { sku_id: '1', shop_id: 's1', price_fen: 1280, quantity: 3, stock: 50, available: true },
    { sku_id: '2', shop_id: 's2', price_fen: 10, quantity: 7, stock: 9, available: true },
    { sku_id: '3', shop_id: 's1', price_fen: 29, quantity: 3, stock: 5, available: true },
    { sku_id: '4', shop_id: 's1', price_fen: 5000, quantity: 1, stock: 5, available: false },
    { sku_id: '5', shop_id: 's2', price_fen: 800, quantity: 2, stock: 0, available: true },
  ];
  const totals = cartTotals(lines);
  assert.equal(totals.fen, 3840n + 70n + 87n); // 0.29 × 3 is 0.8699999… in floating point
  assert.equal(totals.pieces, 13);
  assert.equal(totals.shops.get('s1').fen, 3927n);
  assert.equal(totals.shops.get('s2').fen, 70n);
  assert.equal(totals.shops.get('s2').pieces, 7);
  // 100 lines of 999 at ¥1,000,000 stay exact.
  const big = Array.from({ length: 100 }, (_, i) => ({
    sku_id: String(i),
    shop_id: 's',
    price_fen: 100_000_000,
    quantity: 999,
    stock: 1000,
    available: true,
  }));
  assert.equal(cartTotals(big).fen, 9_990_000_000_000n);
  assert.deepEqual(
    groupByShop(lines).map((g) => [g.shop_id, g.lines.map((l) => l.sku_id)]),
    [
      ['s1', ['1', '3', '4']],
      ['s2', ['2', '5']],
    ],
  );
});

test('a buyer keeps an address book: field errors, a village from the picker, the default moves, delete confirms', async () => {
  const { page, errors } = buyer;
  await registerThroughUi(page, BUYER);
  await requireEndpoint(page, '/addresses');
  await page.click('#link-addresses');
  await page.waitForURL('**/account/addresses');
  // No address yet: the form is there at once.
  await page.waitForSelector('#addresses-empty');
  await page.waitForSelector('#address-form');
  await assertNamedControls(page, '/account/addresses');

  await page.fill('#address-name', '王小红');
  await page.fill('#address-phone', '12345');
  const picked = await pickRegions(page, 'address-region', [...JINGHE, ['township', null], ['village', null]]);
  const village = picked[4];
  assert.match(village, /^\d{12}$/);
  await page.fill('#address-detail', '幸福路 8 号');
  // A bad phone number is refused in the browser, on its field.
  await page.click('#address-form button[type=submit]');
  await page.waitForSelector('#address-phone[aria-invalid=true]');
  assert.equal(await page.textContent('#address-phone-error'), zh['addresses.phoneInvalid']);
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'address-phone');
  // The server has the same rule, and names the field.
  const refused = await apiInPage(page, 'POST', '/addresses', {
    name: '王小红',
    phone: '12345',
    region_code: village,
    detail: '幸福路 8 号',
  });
  assert.equal(refused.status, 400);
  assert.equal(refused.json.field, 'phone');

  await page.fill('#address-phone', '13912345678');
  const [created] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/addresses') && r.request().method() === 'POST'),
    page.click('#address-form button[type=submit]'),
  ]);
  assert.equal(created.status(), 201);
  const first = await created.json();
  assert.equal(first.region_code, village);
  assert.equal(first.is_default, true, 'the first address is the default');
  const firstCard = `#address-list [data-address-id="${first.id}"]`;
  await page.waitForSelector(`${firstCard}[data-default=true]`);
  await page.waitForSelector(`${firstCard} .region-path-text:has-text("精河县")`);
  assert.equal(await page.textContent(`${firstCard} .address-default-badge`), zh['addresses.default']);
  await page.waitForSelector(`.status-message:has-text("${zh['addresses.saved']}")`);

  // A second address: a county alone is not enough; a township is.
  await page.click('#address-add');
  await page.waitForSelector('#address-form');
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'address-name');
  await page.fill('#address-name', 'Alim');
  await page.fill('#address-phone', '0909-5234567');
  await page.fill('#address-detail', '团结路 12 号 3 单元');
  await pickRegions(page, 'address-region', JINGHE);
  await page.click('#address-form button[type=submit]');
  await page.waitForSelector('#address-region-error');
  assert.equal(await page.textContent('#address-region-error'), zh['addresses.regionLevel']);
  const [township] = await pickRegions(page, 'address-region', [['township', null]]);
  assert.equal(await page.isChecked('#address-default'), false);
  const [createdSecond] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/addresses') && r.request().method() === 'POST'),
    page.click('#address-form button[type=submit]'),
  ]);
  assert.equal(createdSecond.status(), 201);
  const second = await createdSecond.json();
  assert.equal(second.region_code, township);
  assert.equal(second.phone, '0909-5234567');
  assert.equal(second.is_default, false);
  const secondCard = `#address-list [data-address-id="${second.id}"]`;
  await page.waitForSelector(`${secondCard}[data-default=false]`);
  await assertNamedControls(page, '/account/addresses (two)');

  // The second becomes the default: the mark moves and the list puts it first.
  await page.click(`${secondCard} [data-action=default]`);
  await page.waitForSelector(`${secondCard}[data-default=true]`);
  await page.waitForSelector(`${firstCard}[data-default=false]`);
  assert.equal(await page.getAttribute('#address-list > li:first-child', 'data-address-id'), second.id);
  const listed = await apiInPage(page, 'GET', '/addresses');
  assert.deepEqual(
    listed.json.items.map((a) => [a.id, a.is_default]),
    [
      [second.id, true],
      [first.id, false],
    ],
  );

  // Edit the first: the picker starts at its village.
  await page.click(`${firstCard} [data-action=edit]`);
  await page.waitForSelector(`${firstCard} #address-form`);
  await page.waitForFunction((v) => document.querySelector('#address-region-village')?.value === v, village);
  await page.fill('#address-detail', '幸福路 18 号');
  await page.click('#address-form button[type=submit]');
  await page.waitForSelector(`${firstCard} .address-detail:has-text("幸福路 18 号")`);

  // Delete asks first, in place; cancelling keeps the address.
  await page.click(`${firstCard} [data-action=delete]`);
  await page.waitForSelector(`${firstCard} [data-action=confirm-delete]`);
  await page.click(`${firstCard} [data-action=cancel-delete]`);
  await page.waitForSelector(`${firstCard} [data-action=delete]`);
  await page.click(`${firstCard} [data-action=delete]`);
  await page.click(`${firstCard} [data-action=confirm-delete]`);
  await page.waitForSelector(firstCard, { state: 'detached' });
  await page.waitForSelector(`.status-message:has-text("${zh['addresses.deleted']}")`);
  const left = await apiInPage(page, 'GET', '/addresses');
  assert.deepEqual(
    left.json.items.map((a) => a.id),
    [second.id],
  );
  // Someone else's address is not there for this buyer.
  const other = await apiInPage(seller.page, 'PATCH', `/addresses/${second.id}`, { detail: '别人的地址' });
  assert.equal(other.status, 404);
  assert.deepEqual(errors, []);
});

test('a visitor fills a cart in the browser; after logging in it merges into the account', async () => {
  needs('productA', 'productB', 'skuA1', 'skuA2', 'skuB');
  await requireEndpoint(buyer.page, '/cart/items');
  // The account already holds 2 of SKU A1 (added on the buyer's other device).
  const pre = await apiInPage(buyer.page, 'POST', '/cart/items', { sku_id: state.skuA1, quantity: 2 });
  assert.equal(pre.status, 201, JSON.stringify(pre.json));

  const { context, page, errors } = await phonePage(browser);
  await page.goto(`/product/${state.productA}`);
  await page.waitForSelector('#add-to-cart-button');
  await assertNamedControls(page, 'product page');
  // 3 of SKU A1.
  await page.click(`#sku-picker [data-sku-id="${state.skuA1}"]`);
  await page.click('#add-to-cart [data-action=increase]');
  // Inert, not disabled (it keeps the keyboard focus): a tap changes nothing.
  await page.click('#add-to-cart [data-action=increase]', { force: true });
  await expectValue(page, '#add-quantity', '3');
  await page.click('#add-to-cart-button');
  await page.waitForSelector('#add-to-cart-status a[href="/cart"]');
  // SKU A2 has 3 in stock: the stepper stops there, also when typed past it.
  await page.click(`#sku-picker [data-sku-id="${state.skuA2}"]`);
  await expectValue(page, '#add-quantity', '1');
  await page.fill('#add-quantity', '50');
  await page.press('#add-quantity', 'Enter');
  await expectValue(page, '#add-quantity', '3');
  assert.equal(await page.getAttribute('#add-to-cart [data-action=increase]', 'aria-disabled'), 'true');
  // Inert, not disabled (it keeps the keyboard focus): a tap changes nothing.
  await page.click('#add-to-cart [data-action=increase]', { force: true });
  await expectValue(page, '#add-quantity', '3');
  await page.click('#add-to-cart-button');
  await page.waitForSelector('#add-to-cart-status a[href="/cart"]');
  // And 1 of product B, from the other shop.
  await page.goto(`/product/${state.productB}`);
  await page.waitForSelector('#add-to-cart-button');
  await page.click('#add-to-cart-button');
  await page.waitForSelector('#add-to-cart-status a[href="/cart"]');

  // The visitor's cart page: two shops, the sums, and the way to log in.
  await page.click('#add-to-cart-status a[href="/cart"]');
  await page.waitForURL('**/cart');
  await page.waitForSelector('#cart-login');
  await assertNamedControls(page, '/cart (visitor)');
  assert.equal(await page.locator('#cart-shops .cart-shop').count(), 2);
  assert.equal(await page.textContent('#cart-total'), '¥126.00'); // 3 × 12.80 + 3 × 25.90 + 9.90
  assert.equal(await page.textContent(`#subtotal-${state.shopA}`), '¥116.10');
  assert.equal(await page.textContent(`#subtotal-${state.shopB}`), '¥9.90');
  // It survives a reload: it lives in this browser.
  await page.reload();
  await page.waitForSelector('#cart-login');
  await page.click(`[data-sku-id="${state.skuA2}"] [data-action=decrease]`);
  await page.waitForFunction(() => document.querySelector('#cart-total')?.textContent === '¥100.10');
  await expectValue(page, `#qty-${state.skuA2}`, '2');
  const stored = await page.evaluate(() => JSON.parse(localStorage.getItem('goji_guest_cart')));
  assert.deepEqual(
    stored.items.map((l) => [l.sku_id, l.quantity]),
    [
      [state.skuA1, 3],
      [state.skuA2, 2],
      [state.skuB, 1],
    ],
  );

  // Log in from the cart: back on the cart, now the account's, merged.
  await page.click('#cart-login-link');
  await page.waitForURL('**/login?next=%2Fcart');
  await page.fill('#login-login', BUYER.login);
  await page.fill('#login-password', BUYER.password);
  const [merge] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/cart/merge')),
    page.click('#login-form button[type=submit]'),
  ]);
  assert.equal(merge.status(), 200);
  await page.waitForURL((u) => u.pathname === '/cart');
  await page.waitForSelector('#cart-checkout-note');
  assert.equal(await page.locator('#cart-login').count(), 0);
  assert.equal(await page.evaluate(() => localStorage.getItem('goji_guest_cart')), null);
  await expectValue(page, `#qty-${state.skuA1}`, '5'); // 2 + 3: quantities add up
  await expectValue(page, `#qty-${state.skuA2}`, '2');
  await expectValue(page, `#qty-${state.skuB}`, '1');
  const cart = await apiInPage(page, 'GET', '/cart/items');
  assert.deepEqual(
    cart.json.items.map((l) => [l.sku_id, l.quantity]),
    [
      [state.skuA1, 5],
      [state.skuA2, 2],
      [state.skuB, 1],
    ],
  );
  assert.deepEqual(errors, []);
  await context.close();
});

test('the cart page changes quantities and removes a line; the sums follow', async () => {
  needs('skuA1', 'skuA2', 'skuB');
  const { page, errors } = buyer;
  await page.goto('/cart');
  await page.waitForSelector(`#qty-${state.skuA1}`);
  await assertNamedControls(page, '/cart');
  // Shops in the order their first line was added; each with its name as heading.
  assert.deepEqual(
    await page.$$eval('#cart-shops .cart-shop', (ss) => ss.map((s) => s.dataset.shopId)),
    [state.shopA, state.shopB],
  );
  assert.match(await page.textContent(`#shop-${state.shopA}-name`), /购物车测试甲店/);
  const total = () => page.textContent('#cart-total');
  assert.equal(await total(), '¥125.70'); // 5 × 12.80 + 2 × 25.90 + 9.90

  const line = (sku) => `#cart-shops [data-sku-id="${sku}"]`;
  const patched = (sku) =>
    page.waitForResponse((r) => r.url().endsWith(`/api/v1/cart/items/${sku}`) && r.request().method() === 'PATCH');
  // One more of A1.
  const [more] = await Promise.all([patched(state.skuA1), page.click(`${line(state.skuA1)} [data-action=increase]`)]);
  assert.equal(more.status(), 200);
  await page.waitForFunction(() => document.querySelector('#cart-total')?.textContent === '¥138.50');
  assert.equal(await page.textContent(`#subtotal-${state.shopA}`), '¥128.60');
  // Typed: 10.
  await page.fill(`#qty-${state.skuA1}`, '10');
  const [typed] = await Promise.all([patched(state.skuA1), page.press(`#qty-${state.skuA1}`, 'Enter')]);
  assert.equal(JSON.parse(typed.request().postData()).quantity, 10);
  await page.waitForFunction(() => document.querySelector('#cart-total')?.textContent === '¥189.70');
  // Never below 1: at 1 the decrease button is inert.
  await page.fill(`#qty-${state.skuB}`, '0');
  await page.press(`#qty-${state.skuB}`, 'Enter');
  await expectValue(page, `#qty-${state.skuB}`, '1');
  assert.equal(await page.getAttribute(`${line(state.skuB)} [data-action=decrease]`, 'aria-disabled'), 'true');
  // Never above the stock: A2 has 3.
  await Promise.all([patched(state.skuA2), page.click(`${line(state.skuA2)} [data-action=increase]`)]);
  await page.waitForFunction(() => document.querySelector('#cart-total')?.textContent === '¥215.60');
  assert.equal(await page.getAttribute(`${line(state.skuA2)} [data-action=increase]`, 'aria-disabled'), 'true');

  // Remove B: its shop goes, the sums follow, the status says so.
  const [removed] = await Promise.all([
    page.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/cart/items/${state.skuB}`) && r.request().method() === 'DELETE',
    ),
    page.click(`${line(state.skuB)} [data-action=remove]`),
  ]);
  assert.equal(removed.status(), 204);
  await page.waitForSelector(line(state.skuB), { state: 'detached' });
  await page.waitForSelector(`#cart-shops [data-shop-id="${state.shopB}"]`, { state: 'detached' });
  assert.equal(await total(), '¥205.70'); // 10 × 12.80 + 3 × 25.90
  await page.waitForSelector('.status-message:has-text("精河红枣")');
  const cart = await apiInPage(page, 'GET', '/cart/items');
  assert.deepEqual(
    cart.json.items.map((l) => [l.sku_id, l.quantity]),
    [
      [state.skuA1, 10],
      [state.skuA2, 3],
    ],
  );

  // The same page in Uyghur: right to left, nothing sticks out on a 360 px phone.
  await switchLanguage(page, 'ug');
  assert.equal(await page.getAttribute('html', 'dir'), 'rtl');
  assert.equal(await page.textContent('main h1'), ui.ug['cart.title']);
  assert.equal(await page.textContent('#cart-summary-title'), ui.ug['cart.total']);
  assert.equal(await page.evaluate(() => document.documentElement.scrollWidth), 360);
  await switchLanguage(page, 'zh-CN');
  assert.deepEqual(errors, []);
});

test('a line whose product went off sale is greyed, named and left out of the sums; a sold-out option cannot be added', async () => {
  needs('shopB', 'productB', 'skuB', 'skuA2');
  const { page, errors } = buyer;
  // Logged in, "Add to cart" goes to the account's cart.
  await page.goto(`/product/${state.productB}`);
  await page.waitForSelector('#add-to-cart-button');
  const [added] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/cart/items') && r.request().method() === 'POST'),
    page.click('#add-to-cart-button'),
  ]);
  assert.equal(added.status(), 201);
  await page.waitForSelector('#add-to-cart-status a[href="/cart"]');

  // The seller takes product B off sale and sells out option A2.
  const off = await apiInPage(seller.page, 'POST', `/shops/${state.shopB}/products/on-sale`, {
    product_ids: [state.productB],
    on_sale: false,
  });
  assert.equal(off.status, 200);
  const soldOut = await apiInPage(seller.page, 'PUT', `/skus/${state.skuA2}/stock`, { stock: 0 });
  assert.equal(soldOut.status, 200);

  await page.goto('/cart');
  const lineB = `#cart-shops [data-sku-id="${state.skuB}"]`;
  await page.waitForSelector(`${lineB}[data-available=false]`);
  assert.match(await page.textContent(`${lineB} .cart-line-reason`), new RegExp(zh['cart.unavailable']));
  assert.equal(await page.locator(`${lineB} .stepper`).count(), 0);
  const lineA2 = `#cart-shops [data-sku-id="${state.skuA2}"]`;
  await page.waitForSelector(`${lineA2}[data-available=false]`);
  assert.match(await page.textContent(`${lineA2} .cart-line-reason`), new RegExp(zh['product.soldOut']));
  // Only A1 counts: 10 × 12.80.
  assert.equal(await page.textContent('#cart-total'), '¥128.00');
  assert.equal(await page.textContent(`#subtotal-${state.shopB}`), '¥0.00');
  assert.equal(await page.textContent('#cart-count'), zh['cart.count'].replace('{n}', '10'));
  const opacity = await page.$eval(`${lineB} .cart-line-title`, (el) => Number(getComputedStyle(el).opacity));
  assert.ok(opacity < 1, 'the unavailable line is greyed');
  await assertNamedControls(page, '/cart (unavailable lines)');
  // It can still be removed.
  await page.click(`${lineB} [data-action=remove]`);
  await page.waitForSelector(lineB, { state: 'detached' });

  // The product page offers no "Add to cart" for a sold-out option.
  await page.goto(`/product/${state.productA}`);
  await page.click(`#sku-picker [data-sku-id="${state.skuA2}"]`);
  await page.waitForSelector('#add-to-cart-button[disabled]');
  assert.equal(await page.textContent('#add-to-cart-why'), zh['cart.outOfStock']);
  assert.equal(await page.locator('#add-quantity').count(), 0);
  assert.deepEqual(errors, []);
});
