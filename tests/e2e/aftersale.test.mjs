// After the payment, through the browser: a buyer checks out and pays in the
// sandbox; the seller finds the order under "to ship" and ships it from the
// seller's order page; the buyer sees the parcel, confirms receipt and
// reviews the item with stars; the product page shows the review, masked
// buyer, and the average over two buyers. A refund after shipping: an amount
// above what is refundable shows the server's message at the field, the
// whole amount waits for the seller, who approves it from the refunds queue
// with the units back on offer. A shipment CSV import: picked orders written
// into the list, a bad row and an unknown order reported per row, then a
// file chosen in the file input. One verified shop in Jinghe County sells
// one product; the tests of this file share them, in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiInPage,
  launch,
  loginThroughUi,
  OFFICER,
  phonePage,
  registerThroughUi,
  server,
  switchLanguage,
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const zh = ui['zh-CN'];
const PRICE = 1280;
const STOCK = 50;

let browser;
let seller;
const state = { township: null, shop: null, product: null, sku: null };

async function assertNamedControls(page, where) {
  assert.deepEqual(await page.evaluate(unnamedControls), [], `${where}: unnamed controls`);
  assert.equal(await page.locator('main h1').count(), 1, `${where}: one h1`);
}

function needs(...keys) {
  for (const k of keys) assert.ok(state[k], `the set-up did not provide ${k}`);
}

async function stock(page) {
  const r = await apiInPage(page, 'GET', `/products/${state.product}`);
  assert.equal(r.status, 200, JSON.stringify(r.json));
  return r.json.skus.find((s) => s.id === state.sku).stock;
}

/** Waits until the order has the status (the provider's notification comes on its own). */
async function waitStatus(page, orderId, status) {
  for (let i = 0; i < 100; i++) {
    const r = await apiInPage(page, 'GET', `/orders/${orderId}`);
    if (r.json?.status === status) return r.json;
    await new Promise((done) => setTimeout(done, 100));
  }
  assert.fail(`order ${orderId} did not become ${status}`);
}

/** A buyer registered through the page, with a default address in the county. */
async function newBuyer(prefix, displayName = '王小明') {
  const b = await phonePage(browser);
  await registerThroughUi(b.page, { login: uniqueLogin(prefix), password: 'buyer password 1', displayName });
  const address = await apiInPage(b.page, 'POST', '/addresses', {
    name: displayName,
    phone: '13912345678',
    region_code: state.township,
    detail: '幸福路 8 号',
  });
  assert.equal(address.status, 201, JSON.stringify(address.json));
  return { ...b, addressId: address.json.id };
}

/** Checks out `quantity` units through the API and pays in the sandbox; answers the paid order. */
async function paidOrder(buyer, quantity) {
  const placed = await apiInPage(buyer.page, 'POST', '/checkout', {
    address_id: buyer.addressId,
    items: [{ sku_id: state.sku, quantity }],
  });
  assert.equal(placed.status, 201, JSON.stringify(placed.json));
  const pay = await apiInPage(buyer.page, 'POST', `/payments/${placed.json.payment.id}/sandbox/pay`, {});
  assert.ok(pay.status < 300, JSON.stringify(pay.json));
  return waitStatus(buyer.page, placed.json.orders[0].id, 'paid');
}

async function shipByApi(orderId, trackingNo) {
  const r = await apiInPage(seller.page, 'POST', `/orders/${orderId}/ship`, { carrier: 'ZTO', tracking_no: trackingNo });
  assert.equal(r.status, 200, JSON.stringify(r.json));
}

before(async () => {
  browser = await launch();
  seller = await phonePage(browser);
  await registerThroughUi(seller.page, { login: uniqueLogin('asell'), password: 'seller password 1', displayName: '卖家' });
  const townships = await apiInPage(seller.page, 'GET', '/regions/652722/children?limit=100');
  assert.equal(townships.status, 200);
  state.township = townships.json.items[0].code;
  const tag = Date.now().toString(36).slice(-4);
  const shop = await apiInPage(seller.page, 'POST', '/shops', {
    name: `售后测试店${tag}`,
    kind: 'cooperative',
    region_code: state.township,
    poverty_relief: false,
  });
  assert.equal(shop.status, 201, JSON.stringify(shop.json));
  state.shop = shop.json.id;

  assert.ok(OFFICER.password, 'E2E_OFFICER_PASSWORD is set by scripts/e2e.sh');
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  const verified = await apiInPage(officer.page, 'POST', `/shops/${state.shop}/verify`);
  assert.equal(verified.status, 200, JSON.stringify(verified.json));
  await officer.context.close();

  const product = await apiInPage(seller.page, 'POST', `/shops/${state.shop}/products`, {
    title: `精河枸杞 售后测试 ${tag}`,
    description: '',
    category_id: '111',
    origin_region_code: '652722',
    skus: [{ spec: '500克礼盒', price_fen: PRICE, stock: STOCK, weight_g: 520 }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.json));
  state.product = product.json.id;
  state.sku = product.json.skus[0].id;
});

after(async () => {
  await seller?.context.close();
  await browser?.close();
});

test('paid, shipped by the seller, received and reviewed by the buyer; the product page shows the average', async () => {
  needs('sku');
  const buyer = await newBuyer('abuy');
  try {
    const { page, errors } = buyer;
    // Check out and pay in the sandbox, through the pages.
    const added = await apiInPage(page, 'POST', '/cart/items', { sku_id: state.sku, quantity: 2 });
    assert.ok(added.status < 300, JSON.stringify(added.json));
    await page.goto('/checkout');
    await page.waitForSelector('#checkout-place:not([disabled])');
    const [reply] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/checkout') && r.request().method() === 'POST'),
      page.click('#checkout-place'),
    ]);
    assert.equal(reply.status(), 201);
    const order = (await reply.json()).orders[0];
    await page.click('#checkout-pay');
    await page.waitForSelector('#pay-button');
    await page.click('#pay-button');
    await page.waitForSelector('#pay-done', { timeout: 20000 });

    // The seller: my shops → the shop's orders to ship → the order → ship.
    const s = seller.page;
    await s.goto('/seller');
    await s.click(`[data-shop-orders="${state.shop}"]`);
    await s.waitForURL((u) => u.pathname === `/seller/shops/${state.shop}/orders` && u.search === '?status=paid');
    await s.waitForSelector(`#seller-order-list > li[data-order-id="${order.id}"][data-status=paid]`);
    assert.equal(await s.getAttribute('#seller-order-filter [data-status=paid]', 'aria-pressed'), 'true');
    assert.equal((await s.textContent('#seller-order-filter [data-status=paid]')).trim(), zh['sellerOrders.toShip']);
    await assertNamedControls(s, '/seller/shops/:id/orders');
    await s.click(`#seller-order-${order.id}-link`);
    await s.waitForURL((u) => u.pathname === `/seller/orders/${order.id}`);
    await s.waitForSelector('#order[data-status=paid]');
    await s.waitForSelector('#ship-form');
    await assertNamedControls(s, '/seller/orders/:id');
    // A number the couriers never print is caught before it is sent.
    await s.selectOption('#ship-carrier', 'SF');
    await s.fill('#ship-tracking-no', 'SF 12');
    await s.click('#ship-submit');
    await s.waitForSelector('#ship-tracking-no[aria-invalid=true]');
    await s.fill('#ship-tracking-no', 'SF1234567890');
    const [shipped] = await Promise.all([
      s.waitForResponse((r) => r.url().endsWith(`/orders/${order.id}/ship`)),
      s.click('#ship-submit'),
    ]);
    assert.equal(shipped.status(), 200);
    await s.waitForSelector('#order[data-status=shipped]');
    assert.equal(await s.textContent('#order-tracking-no'), 'SF1234567890');
    assert.equal(await s.locator('#ship-form').count(), 0);

    // The buyer sees the parcel in the list and on the order, and confirms receipt (a confirm step in place).
    await page.goto('/orders');
    const row = page.locator(`#order-list > li[data-order-id="${order.id}"]`);
    await row.waitFor();
    assert.match(await row.locator('.order-parcel').textContent(), /SF1234567890/);
    await row.locator('.order-shop').click();
    await page.waitForSelector('#order[data-status=shipped]');
    assert.equal((await page.textContent('#order-carrier')).trim(), zh['carrier.SF']);
    assert.equal(await page.textContent('#order-tracking-no'), 'SF1234567890');
    await page.click('#order-receipt');
    await assertNamedControls(page, 'receipt confirm');
    await page.click('#order-receipt-confirm');
    await page.waitForSelector('#order[data-status=delivered]');
    assert.equal(await page.locator('#order-receipt').count(), 0);

    // One review per item: stars are radio buttons; no stars, no review.
    const form = `#review-${state.sku}-form`;
    await page.waitForSelector(form);
    await assertNamedControls(page, 'review form');
    await page.click(`#review-${state.sku}-submit`);
    await page.waitForSelector(`${form} .field-error`);
    assert.equal((await page.textContent(`${form} .field-error`)).trim(), zh['reviews.chooseStars']);
    await page.check(`#review-${state.sku}-rating-4`);
    await page.fill(`#review-${state.sku}-text`, '颗粒饱满，很甜。');
    await page.click(`#review-${state.sku}-submit`);
    await page.waitForSelector(`#order-reviews > li[data-sku-id="${state.sku}"][data-rating="4"]`);
    assert.equal(await page.locator(form).count(), 0, 'the item is reviewed once');
    assert.deepEqual(errors, []);
  } finally {
    await buyer.context.close();
  }

  // A second buyer's five stars, through the API, for the average.
  const second = await newBuyer('abuy2', '李红');
  try {
    const o = await paidOrder(second, 1);
    await shipByApi(o.id, 'ZT20240001');
    const received = await apiInPage(second.page, 'POST', `/orders/${o.id}/confirm-receipt`);
    assert.equal(received.status, 200, JSON.stringify(received.json));
    const r = await apiInPage(second.page, 'POST', `/orders/${o.id}/reviews`, { sku_id: state.sku, rating: 5, text: '' });
    assert.equal(r.status, 201, JSON.stringify(r.json));
  } finally {
    await second.context.close();
  }

  // The product page: average 4.5 of 2, the masked buyers, spec, stars and text.
  const visitor = await phonePage(browser);
  try {
    const { page, errors } = visitor;
    await page.goto(`/product/${state.product}`);
    await page.waitForSelector('#product-reviews-summary');
    assert.equal(await page.getAttribute('#product-reviews-summary', 'data-count'), '2');
    assert.equal(await page.getAttribute('#product-reviews-summary', 'data-average'), '4.5');
    assert.equal((await page.textContent('#product-reviews-average')).trim(), '4.5');
    const items = page.locator('#product-review-list > li');
    assert.equal(await items.count(), 2);
    const buyers = await page.locator('#product-review-list .review-buyer').allTextContents();
    assert.deepEqual(buyers.map((b) => b.trim()).sort(), ['李**', '王**']);
    const four = page.locator('#product-review-list > li[data-rating="4"]');
    assert.equal((await four.locator('.review-text').textContent()).trim(), '颗粒饱满，很甜。');
    assert.equal((await four.locator('.review-spec').textContent()).trim(), '500克礼盒');
    await assertNamedControls(page, '/product/:id with reviews');
    assert.deepEqual(errors, []);
  } finally {
    await visitor.context.close();
  }
});

test('a refund after shipping: too much shows the server message, the whole amount is approved by the seller with restock', async () => {
  needs('sku');
  const buyer = await newBuyer('abuy3');
  try {
    const { page } = buyer;
    const o = await paidOrder(buyer, 3);
    await shipByApi(o.id, 'ZT20240002');
    const before = await stock(page);

    await page.goto(`/orders/${o.id}`);
    await page.waitForSelector('#order[data-status=shipped]');
    await page.click('#refund-open');
    await page.waitForSelector('#refund-form');
    await assertNamedControls(page, 'refund form');
    // The whole refundable amount is offered, in yuan.
    assert.equal(await page.inputValue('#refund-amount'), (o.total_fen / 100).toFixed(2));
    assert.equal(await page.getAttribute('#refund-refundable', 'data-fen'), String(o.total_fen));

    // One fen too much: the server's own message, at the amount field.
    await page.fill('#refund-amount', ((o.total_fen + 1) / 100).toFixed(2));
    await page.fill('#refund-reason', '包装破损');
    const [tooMuch] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/orders/${o.id}/refunds`)),
      page.click('#refund-submit'),
    ]);
    assert.equal(tooMuch.status(), 422);
    assert.ok(tooMuch.request().headers()['idempotency-key'], 'an Idempotency-Key is sent');
    await page.waitForSelector('#refund-error');
    assert.equal(await page.getAttribute('#refund-error', 'data-problem-code'), 'amount_too_large');
    assert.equal((await page.textContent('#refund-error .alert-message')).trim(), server['zh-CN']['problem.amount_too_large']);
    assert.equal(await page.getAttribute('#refund-amount', 'aria-invalid'), 'true');
    assert.equal((await page.textContent('#refund-amount-error')).trim(), server['zh-CN']['problem.amount_too_large']);

    // The whole amount: it waits for the shop.
    await page.fill('#refund-amount', (o.total_fen / 100).toFixed(2));
    const [asked] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/orders/${o.id}/refunds`)),
      page.click('#refund-submit'),
    ]);
    assert.equal(asked.status(), 201);
    await page.waitForSelector('#order[data-status=refunding]');
    await page.waitForSelector('#order-refunds > li[data-status=requested]');
    assert.ok(await page.isVisible('#refund-waiting'));
    assert.equal(await page.locator('#refund-open').count(), 0);

    // The seller: the refunds queue → the order → approve with the units back.
    const s = seller.page;
    await s.goto(`/seller/shops/${state.shop}`);
    await s.click('#seller-nav [data-section=refunds]');
    await s.waitForURL((u) => u.pathname === `/seller/shops/${state.shop}/refunds`);
    const row = s.locator(`#refund-queue > li[data-order-id="${o.id}"]`);
    await row.waitFor();
    assert.equal(await row.locator('.order-total').getAttribute('data-fen'), String(o.total_fen));
    await assertNamedControls(s, '/seller/shops/:id/refunds');
    await row.locator('a.button').click();
    await s.waitForURL((u) => u.pathname === `/seller/orders/${o.id}`);
    await s.waitForSelector('#pending-refund');
    assert.equal(await s.getAttribute('#decide-whole', 'data-whole'), 'true');
    assert.ok(await s.isEnabled('#decide-restock'), 'restock is offered for the whole order');
    await assertNamedControls(s, 'pending refund');
    await s.check('#decide-restock');
    const [approved] = await Promise.all([
      s.waitForResponse((r) => /\/refunds\/\d+\/approve$/.test(r.url())),
      s.click('#decide-approve'),
    ]);
    assert.equal(approved.status(), 200);
    assert.equal(approved.request().postDataJSON().restock, true);
    await s.waitForSelector('#order[data-status=refunded]');
    await s.waitForSelector('#order-refunds > li[data-status=approved]');
    assert.equal(await s.locator('#pending-refund').count(), 0);
    assert.equal(await stock(s), before + 3);

    // The buyer sees the decision.
    await page.reload();
    await page.waitForSelector('#order[data-status=refunded]');
    await page.waitForSelector('#order-refunds > li[data-status=approved]');
    assert.equal(await page.getAttribute('#order-refunded', 'data-fen'), String(o.total_fen));

    // In Uyghur, right to left, with the same controls named.
    await switchLanguage(page, 'ug');
    assert.equal(await page.evaluate(() => document.documentElement.dir), 'rtl');
    assert.equal(
      (await page.textContent('#order-refunds > li .refund-status')).trim(),
      ui.ug['refundStatus.approved'],
    );
    await assertNamedControls(page, '/orders/:id (ug)');
  } finally {
    await buyer.context.close();
  }
});

test('a partial refund leaves the restock box disabled; the seller may refuse with a reason the buyer reads', async () => {
  needs('sku');
  const buyer = await newBuyer('abuy4');
  try {
    const o = await paidOrder(buyer, 2);
    await shipByApi(o.id, 'ZT20240003');
    const asked = await apiInPage(buyer.page, 'POST', `/orders/${o.id}/refunds`, { amount_fen: 100, reason: '少了一颗' });
    assert.equal(asked.status, 201, JSON.stringify(asked.json));

    const s = seller.page;
    await s.goto(`/seller/orders/${o.id}`);
    await s.waitForSelector('#pending-refund');
    assert.equal(await s.getAttribute('#decide-whole', 'data-whole'), 'false');
    assert.ok(await s.isDisabled('#decide-restock'));
    await s.click('#decide-refuse-open');
    await s.click('#refuse-submit');
    await s.waitForSelector('#refuse-reason[aria-invalid=true]');
    await s.fill('#refuse-reason', '称重无误');
    await s.click('#refuse-submit');
    await s.waitForSelector('#order[data-status=shipped]');
    await s.waitForSelector('#order-refunds > li[data-status=refused]');

    await buyer.page.goto(`/orders/${o.id}`);
    await buyer.page.waitForSelector('#order-refunds > li[data-status=refused]');
    assert.match(await buyer.page.textContent('#order-refunds .refund-note'), /称重无误/);
    // Still shipped: the buyer may ask again.
    assert.ok(await buyer.page.isVisible('#refund-open'));
  } finally {
    await buyer.context.close();
  }
});

test('shipment import: picked orders into the list, per-row results, then a chosen file', async () => {
  needs('sku');
  const buyer = await newBuyer('abuy5');
  let first;
  let second;
  try {
    first = await paidOrder(buyer, 1);
    second = await paidOrder(buyer, 1);
  } finally {
    await buyer.context.close();
  }
  const s = seller.page;
  await s.goto(`/seller/shops/${state.shop}/orders?status=paid`);
  await s.waitForSelector(`#seller-order-list > li[data-order-id="${second.id}"]`);
  await s.check('#pick-all');
  assert.ok(await s.isChecked(`#pick-${first.id}`));
  await s.selectOption('#import-carrier', 'YTO');
  await s.click('#import-add-picked');
  const listed = await s.inputValue('#import-csv');
  assert.match(listed, /^order_id,carrier,tracking_no\n/);
  assert.ok(listed.includes(`${first.id},YTO,\n`) && listed.includes(`${second.id},YTO,\n`), listed);
  await assertNamedControls(s, 'shipment import');

  // The first gets a good number, the second a bad one, and one order is not the shop's.
  const csv = [
    'order_id,carrier,tracking_no',
    `${first.id},YTO,YT9000000001`,
    `${second.id},YTO,YT 0002!`,
    '999999999,YTO,YT9000000003',
  ].join('\n');
  await s.fill('#import-csv', csv);
  const [imported] = await Promise.all([
    s.waitForResponse((r) => r.url().endsWith(`/shops/${state.shop}/shipments/import`)),
    s.click('#import-submit'),
  ]);
  assert.equal(imported.status(), 200);
  assert.match(imported.request().headers()['content-type'], /^text\/csv/);
  await s.waitForSelector('#import-results');
  assert.equal(await s.getAttribute('#import-results', 'data-shipped'), '1');
  assert.equal(await s.getAttribute('#import-results', 'data-failed'), '2');
  assert.equal(await s.getAttribute('#import-results tr[data-line="2"]', 'data-status'), 'shipped');
  assert.equal(await s.getAttribute('#import-results tr[data-line="3"]', 'data-code'), 'tracking_no:invalid');
  assert.equal(
    (await s.textContent('#import-results tr[data-line="3"] td:last-child')).trim(),
    zh['shipments.rowTrackingNo'],
  );
  assert.equal(await s.getAttribute('#import-results tr[data-line="4"]', 'data-code'), 'not_found');
  // The list reloads: the shipped order left "to ship".
  await s.waitForSelector(`#seller-order-list > li[data-order-id="${first.id}"]`, { state: 'detached' });

  // The corrected row from a file (with a byte-order mark and CRLF, as spreadsheets write it).
  await s.setInputFiles('#import-file', {
    name: 'shipments.csv',
    mimeType: 'text/csv',
    buffer: Buffer.from(`\uFEFForder_id,carrier,tracking_no\r\n${second.id},YTO,YT9000000002\r\n`, 'utf8'),
  });
  await s.waitForFunction((id) => document.querySelector('#import-csv').value.includes(id), second.id);
  await s.click('#import-submit');
  await s.waitForSelector('#import-results[data-shipped="1"][data-failed="0"]');
  const after = await apiInPage(s, 'GET', `/orders/${second.id}`);
  assert.equal(after.json.status, 'shipped');
  assert.equal(after.json.tracking_no, 'YT9000000002');
});
