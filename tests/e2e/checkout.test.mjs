// Checkout and the buyer's orders through the browser: a buyer with an
// address and products of two shops in the cart checks out from the cart
// page, gets one order per shop awaiting payment with the server's sums,
// sees them in the order list, and cancels one on its page (inline confirm),
// which puts its stock back; a second buyer asking for more than is left sees
// the sold-out explanation and no order is made. Two shops in Jinghe County,
// verified by the county officer that scripts/e2e.sh adds, sell the products.
// The tests of this file share the shops and products, in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiInPage,
  launch,
  loginThroughUi,
  OFFICER,
  phonePage,
  registerThroughUi,
  switchLanguage,
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const zh = ui['zh-CN'];

let browser;
let seller;
/** The first buyer's browser, logged in from the first test on. */
let buyer;
/** Shop A sells SKU A (¥12.80, 10 in stock); shop B sells SKU B (¥9.90, 5 in stock). */
const state = {
  township: null,
  shopA: null,
  shopB: null,
  productA: null,
  productB: null,
  skuA: null,
  skuB: null,
  payment: null,
};
/** The orders the first buyer placed, by shop. */
const placed = {};

async function assertNamedControls(page, where) {
  assert.deepEqual(await page.evaluate(unnamedControls), [], `${where}: unnamed controls`);
  assert.equal(await page.locator('main h1').count(), 1, `${where}: one h1`);
}

function needs(...keys) {
  for (const k of keys) assert.ok(state[k], `the set-up did not provide ${k}`);
}

async function createShop(name) {
  const shop = await apiInPage(seller.page, 'POST', '/shops', {
    name,
    kind: 'farmer',
    region_code: state.township,
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

/** A SKU's stock as the product API shows it. */
async function stockOf(page, productId, skuId) {
  const r = await apiInPage(page, 'GET', `/products/${productId}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const sku = r.json.skus.find((s) => s.id === skuId);
  assert.ok(sku, `SKU ${skuId} on product ${productId}`);
  return sku.stock;
}

/** Registers a buyer through the page and gives them a default address in the county. */
async function newBuyer(prefix) {
  const b = await phonePage(browser);
  await registerThroughUi(b.page, { login: uniqueLogin(prefix), password: 'buyer password 1', displayName: '买家' });
  const address = await apiInPage(b.page, 'POST', '/addresses', {
    name: '王小明',
    phone: '13912345678',
    region_code: state.township,
    detail: '幸福路 8 号',
  });
  assert.equal(address.status, 201, JSON.stringify(address.json));
  return { ...b, addressId: address.json.id };
}

async function addToCart(page, skuId, quantity) {
  const r = await apiInPage(page, 'POST', '/cart/items', { sku_id: skuId, quantity });
  assert.ok(r.status === 200 || r.status === 201, JSON.stringify(r.json));
}

before(async () => {
  browser = await launch();
  seller = await phonePage(browser);
  await registerThroughUi(seller.page, {
    login: uniqueLogin('cosell'),
    password: 'seller password 1',
    displayName: '卖家',
  });
  const townships = await apiInPage(seller.page, 'GET', '/regions/652722/children?limit=100');
  assert.equal(townships.status, 200);
  state.township = townships.json.items[0].code;
  const tag = Date.now().toString(36).slice(-4);
  state.shopA = await createShop(`结算测试甲店${tag}`);
  state.shopB = await createShop(`结算测试乙店${tag}`);

  assert.ok(OFFICER.password, 'E2E_OFFICER_PASSWORD is set by scripts/e2e.sh');
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  for (const id of [state.shopA, state.shopB]) {
    const r = await apiInPage(officer.page, 'POST', `/shops/${id}/verify`);
    assert.equal(r.status, 200, JSON.stringify(r.json));
  }
  await officer.context.close();

  const a = await createProduct(state.shopA, `精河枸杞 结算测试 ${tag}`, [
    { spec: '250克袋装', price_fen: 1280, stock: 10, weight_g: 260 },
  ]);
  const b = await createProduct(state.shopB, `精河红枣 结算测试 ${tag}`, [
    { spec: '1千克', price_fen: 990, stock: 5, weight_g: 1000 },
  ]);
  state.productA = a.id;
  state.productB = b.id;
  state.skuA = a.skus[0].id;
  state.skuB = b.skus[0].id;
});
after(async () => {
  await seller?.context.close();
  await buyer?.context.close();
  await browser?.close();
});

test('a buyer checks out a cart of two shops and gets one order per shop awaiting payment', async () => {
  needs('skuA', 'skuB');
  buyer = await newBuyer('cobuy');
  const { page } = buyer;
  await addToCart(page, state.skuA, 3);
  await addToCart(page, state.skuB, 2);

  await page.goto('/cart');
  await page.click('#cart-checkout');
  await page.waitForURL((u) => u.pathname === '/checkout');
  await page.waitForSelector('#checkout-addresses');
  assert.equal(await page.textContent('main h1'), zh['checkout.title']);
  assert.ok(await page.isChecked(`[data-address-id="${buyer.addressId}"] input[type=radio]`), 'default preselected');
  assert.equal(await page.getAttribute(`#checkout-subtotal-${state.shopA}`, 'data-fen'), String(3 * 1280));
  assert.equal(await page.getAttribute(`#checkout-subtotal-${state.shopB}`, 'data-fen'), String(2 * 990));
  assert.equal(await page.getAttribute('#checkout-total', 'data-fen'), String(3 * 1280 + 2 * 990));
  await assertNamedControls(page, '/checkout');

  const [reply] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith('/api/v1/checkout') && r.request().method() === 'POST'),
    page.click('#checkout-place'),
  ]);
  assert.equal(reply.status(), 201);
  assert.ok(reply.request().headers()['idempotency-key'], 'an Idempotency-Key is sent');
  await page.waitForSelector('#checkout-placed');
  const body = await reply.json();
  assert.equal(body.orders.length, 2);
  assert.equal(body.payment.provider, 'sandbox');
  assert.equal(body.payment.amount_fen, body.amount_fen);
  assert.equal(body.payment.status, 'pending');
  state.payment = body.payment;
  for (const o of body.orders) placed[o.shop_id] = o;
  assert.equal(placed[state.shopA].goods_fen, 3 * 1280);
  assert.equal(placed[state.shopB].goods_fen, 2 * 990);
  assert.equal(await page.locator('#checkout-placed .order-card').count(), 2);
  for (const o of body.orders) {
    assert.equal(await page.getAttribute(`#placed-${o.id}-total`, 'data-fen'), String(o.total_fen));
    assert.equal(await page.getAttribute(`#placed-${o.id}-shipping`, 'data-fen'), String(o.shipping_fen));
  }
  assert.equal(await page.getAttribute('#checkout-amount', 'data-fen'), String(body.amount_fen));
  assert.equal(await page.locator('#checkout-placed [data-status=pending_payment]').count(), 2);
  assert.equal(await page.getAttribute('#checkout-pay', 'href'), body.payment.pay_url);

  // The bought lines left the cart; the stock is reserved.
  const cart = await apiInPage(page, 'GET', '/cart/items');
  assert.deepEqual(cart.json.items, []);
  assert.equal(await stockOf(page, state.productA, state.skuA), 10 - 3);
  assert.equal(await stockOf(page, state.productB, state.skuB), 5 - 2);
});

test('the order list shows both orders, newest first, with totals and status, and filters by status', async () => {
  assert.ok(placed[state.shopA] && placed[state.shopB], 'the checkout test placed the orders');
  const { page } = buyer;
  await page.goto('/account');
  await page.click('#link-orders');
  await page.waitForURL((u) => u.pathname === '/orders');
  await page.waitForSelector('#order-list');
  await assertNamedControls(page, '/orders');
  const rows = page.locator('#order-list > li');
  assert.equal(await rows.count(), 2);
  for (const shop of [state.shopA, state.shopB]) {
    const o = placed[shop];
    const row = page.locator(`#order-list > li[data-order-id="${o.id}"]`);
    assert.equal(await row.getAttribute('data-status'), 'pending_payment');
    assert.equal(await row.locator('.order-total').getAttribute('data-fen'), String(o.total_fen));
    assert.equal((await row.locator('.order-shop').textContent()).trim(), o.shop_name);
    assert.equal((await row.locator('.order-status').textContent()).trim(), zh['orderStatus.pending_payment']);
  }
  await page.click('#order-filter [data-status=cancelled]');
  await page.waitForSelector('#orders-empty');
  assert.equal(await page.getAttribute('#order-filter [data-status=cancelled]', 'aria-pressed'), 'true');
});

test('the buyer cancels one order on its page: cancelled, two timeline entries, stock back', async () => {
  const o = placed[state.shopA];
  assert.ok(o, 'the checkout test placed the orders');
  const { page } = buyer;
  await page.goto('/orders');
  await page.click(`#order-list > li[data-order-id="${o.id}"] .order-shop`);
  await page.waitForURL((u) => u.pathname === `/orders/${o.id}`);
  await page.waitForSelector('#order[data-status=pending_payment]');
  assert.equal(await page.getAttribute('#order-goods', 'data-fen'), String(3 * 1280));
  assert.equal(await page.getAttribute('#order-total', 'data-fen'), String(o.total_fen));
  assert.equal(await page.locator('#order-timeline > li').count(), 1);
  await assertNamedControls(page, '/orders/:id');

  // The confirm step in place: keeping the order changes nothing.
  await page.click('#order-cancel');
  await page.click('#order-cancel-keep');
  assert.equal(await page.locator('#order-cancel-confirm').count(), 0);
  await page.click('#order-cancel');
  await assertNamedControls(page, 'cancel confirm');
  const [reply] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/orders/${o.id}/cancel`)),
    page.click('#order-cancel-confirm'),
  ]);
  assert.equal(reply.status(), 200);
  await page.waitForSelector('#order[data-status=cancelled]');
  assert.equal(await page.locator('#order-cancel').count(), 0);
  assert.equal(await page.locator('#order-timeline > li').count(), 2);
  assert.equal(await page.getAttribute('#order-timeline > li:last-child', 'data-to'), 'cancelled');
  assert.match(await page.textContent('#order-timeline > li:last-child'), new RegExp(zh['orderStatus.cancelled']));
  assert.equal(await stockOf(page, state.productA, state.skuA), 10);
  assert.equal(await stockOf(page, state.productB, state.skuB), 5 - 2);

  // The Uyghur page reads right to left with the same controls named.
  await switchLanguage(page, 'ug');
  assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
  assert.equal(await page.textContent('main h1'), ui.ug['orders.detailTitle']);
  await assertNamedControls(page, '/orders/:id (ug)');
  await switchLanguage(page, 'zh-CN');
});

test('the buyer pays the other order on the sandbox page; the notification of the provider marks it paid', async () => {
  const o = placed[state.shopB];
  assert.ok(o && state.payment, 'the checkout test placed the orders');
  const { page, errors } = buyer;
  await page.goto(`/orders/${o.id}`);
  await page.waitForSelector('#order[data-status=pending_payment]');
  await page.click('#order .order-pay-link');
  await page.waitForURL((u) => u.pathname === `/pay/${state.payment.id}`);
  await page.waitForSelector('#pay[data-status=pending]');
  assert.equal(await page.getAttribute('#pay-amount', 'data-fen'), String(state.payment.amount_fen));
  // The QR code of the page really loads.
  await page.waitForFunction(() => {
    const img = document.querySelector('.pay-qr');
    return img && img.complete && img.naturalWidth > 0;
  });
  await assertNamedControls(page, '/pay/:id');
  await page.click('#pay-button');
  await page.waitForSelector('#pay-done', { timeout: 20000 });
  const paid = await apiInPage(page, 'GET', `/orders/${o.id}`);
  assert.equal(paid.json.status, 'paid');
  // The order cancelled before the money came is refunded automatically.
  const cancelled = await apiInPage(page, 'GET', `/orders/${placed[state.shopA].id}`);
  assert.equal(cancelled.json.status, 'cancelled');
  assert.match(cancelled.json.timeline.at(-1).note, /refunded automatically/);
  // Paid units are sold: the stock of B stays down.
  assert.equal(await stockOf(page, state.productB, state.skuB), 5 - 2);
  assert.deepEqual(errors, []);
});

test('a second buyer asking for more than is left sees the sold-out message and no order is made', async () => {
  needs('skuB');
  const second = await newBuyer('cobuy2');
  try {
    const { page, errors } = second;
    const left = await stockOf(page, state.productB, state.skuB);
    await addToCart(page, state.skuB, left + 1);
    await page.goto('/checkout');
    await page.waitForSelector('#checkout-place');
    const [reply] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/checkout') && r.request().method() === 'POST'),
      page.click('#checkout-place'),
    ]);
    assert.equal(reply.status(), 409);
    await page.waitForSelector('#checkout-stock-problem');
    assert.equal((await page.textContent('#checkout-stock-problem .alert-message')).trim(), zh['checkout.soldOut']);
    assert.equal(await page.getAttribute('#checkout-error', 'data-problem-code'), 'sold_out');
    assert.equal(await page.locator('#checkout-placed').count(), 0);
    assert.ok(await page.isEnabled('#checkout-place'), 'the buyer can try again');
    const orders = await apiInPage(page, 'GET', '/orders?as=buyer');
    assert.equal(orders.status, 200);
    assert.deepEqual(orders.json.items, []);
    assert.equal(await stockOf(page, state.productB, state.skuB), left);
    assert.deepEqual(errors.filter((e) => !/409/.test(e.message)), []);
  } finally {
    await second.context.close();
  }
});

test('checkout without a saved address asks for one and links to the address book', async () => {
  needs('skuA');
  const third = await phonePage(browser);
  try {
    const { page } = third;
    await registerThroughUi(page, {
      login: uniqueLogin('cobuy3'),
      password: 'buyer password 1',
      displayName: '买家',
    });
    await addToCart(page, state.skuA, 1);
    await page.goto('/checkout');
    await page.waitForSelector('#checkout-no-address');
    assert.ok(await page.isDisabled('#checkout-place'));
    await assertNamedControls(page, '/checkout without address');
    await page.click('#checkout-add-address');
    await page.waitForURL((u) => u.pathname === '/account/addresses');
  } finally {
    await third.context.close();
  }
});
