// Prices at checkout in the browser: the preview's per-shop goods, shipping
// fee, discount and total; coupon codes applied, refused with the server's
// message, removed; the order placed with the codes, and "coupons gone" at
// that moment. Also the seller's shipping-fee editor and coupon form and the
// buyer's coupon claim, as requests and replies.
//
// The pricing endpoints (POST /checkout/preview, /shops/{id}/shipping,
// /shops/{id}/coupons, /coupons/claim, /coupons/mine) are answered here by
// the test itself (page.route), shaped as the pricing API answers, because
// this server version does not serve them yet; the cart, addresses, shops and
// products are the real server's. Once the server serves them, these routes
// can give way to the real ones.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiInPage,
  launch,
  loginThroughUi,
  OFFICER,
  phonePage,
  registerThroughUi,
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const zh = ui['zh-CN'];
const PRICE = 2000;
const SHIPPING = 800;
const SAVE = 500;

let browser;
let seller;
const state = { township: null, shop: null, shopName: null, product: null, sku: null };

function problem(route, status, code, detail) {
  return route.fulfill({
    status,
    contentType: 'application/problem+json',
    body: JSON.stringify({ type: 'about:blank', title: 'x', status, code, detail, request_id: 'test-request' }),
  });
}

function json(route, status, body) {
  return route.fulfill({ status, contentType: 'application/json', body: JSON.stringify(body) });
}

/** The preview as the specification describes it: one shop, ¥8 shipping, SAVE5 takes ¥5 off, OLD is expired. */
function previewOf(body) {
  const codes = body.coupon_codes ?? [];
  const quantity = body.items?.reduce((n, i) => n + i.quantity, 0) ?? 0;
  const goods = PRICE * quantity;
  const discount = codes.includes('SAVE5') ? SAVE : 0;
  return {
    amount_fen: goods + SHIPPING - discount,
    orders: [
      {
        shop_id: state.shop,
        shop_name: state.shopName,
        goods_fen: goods,
        shipping_fen: SHIPPING,
        discount_fen: discount,
        total_fen: goods + SHIPPING - discount,
        items: [],
      },
    ],
    coupons: codes.map((code) => ({ code, shop_id: state.shop, discount_fen: code === 'SAVE5' ? SAVE : 0 })),
  };
}

async function assertNamedControls(page, where) {
  assert.deepEqual(await page.evaluate(unnamedControls), [], `${where}: unnamed controls`);
  assert.equal(await page.locator('main h1').count(), 1, `${where}: one h1`);
}

before(async () => {
  browser = await launch();
  seller = await phonePage(browser);
  await registerThroughUi(seller.page, { login: uniqueLogin('psell'), password: 'seller password 1', displayName: '卖家' });
  const townships = await apiInPage(seller.page, 'GET', '/regions/652722/children?limit=100');
  state.township = townships.json.items[0].code;
  state.shopName = `运费测试店${Date.now().toString(36).slice(-4)}`;
  const shop = await apiInPage(seller.page, 'POST', '/shops', {
    name: state.shopName,
    kind: 'farmer',
    region_code: state.township,
    poverty_relief: false,
  });
  assert.equal(shop.status, 201, JSON.stringify(shop.json));
  state.shop = shop.json.id;
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  assert.equal((await apiInPage(officer.page, 'POST', `/shops/${state.shop}/verify`)).status, 200);
  await officer.context.close();
  const product = await apiInPage(seller.page, 'POST', `/shops/${state.shop}/products`, {
    title: '精河枸杞 运费测试',
    description: '',
    category_id: '111',
    origin_region_code: '652722',
    skus: [{ spec: '1千克', price_fen: PRICE, stock: 20, weight_g: 1000 }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.json));
  state.product = product.json.id;
  state.sku = product.json.skus[0].id;
});

after(async () => {
  await seller?.context.close();
  await browser?.close();
});

test('checkout shows the preview per shop; coupons apply, fail with the server message, and go with the order', async () => {
  const buyer = await phonePage(browser);
  try {
    const { page, errors } = buyer;
    await registerThroughUi(page, { login: uniqueLogin('pbuy'), password: 'buyer password 1', displayName: '买家' });
    const address = await apiInPage(page, 'POST', '/addresses', {
      name: '王小明',
      phone: '13912345678',
      region_code: state.township,
      detail: '幸福路 8 号',
    });
    assert.equal(address.status, 201);
    await apiInPage(page, 'POST', '/cart/items', { sku_id: state.sku, quantity: 2 });

    const previews = [];
    await page.route('**/api/v1/checkout/preview', (route) => {
      const body = route.request().postDataJSON();
      previews.push(body);
      if ((body.coupon_codes ?? []).includes('OLD')) return problem(route, 422, 'coupon_expired', '这张优惠券已过期。');
      return json(route, 200, previewOf(body));
    });
    let placedBody = null;
    await page.route('**/api/v1/checkout', (route) => {
      placedBody = route.request().postDataJSON();
      return problem(route, 409, 'coupons_gone', '优惠券已被领完，请重新确认价格。');
    });

    await page.goto('/checkout');
    const p = `#checkout-preview-${state.shop}`;
    await page.waitForSelector(`${p}-total`);
    assert.equal(previews[0].address_id, address.json.id);
    assert.deepEqual(previews[0].items, [{ sku_id: state.sku, quantity: 2 }]);
    assert.equal(previews[0].coupon_codes, undefined);
    assert.equal(await page.getAttribute(`${p}-goods`, 'data-fen'), String(2 * PRICE));
    assert.equal(await page.getAttribute(`${p}-shipping`, 'data-fen'), String(SHIPPING));
    assert.equal(await page.getAttribute(`${p}-total`, 'data-fen'), String(2 * PRICE + SHIPPING));
    assert.equal(await page.locator(`${p}-discount`).count(), 0);
    assert.equal(await page.getAttribute('#checkout-preview-amount', 'data-fen'), String(2 * PRICE + SHIPPING));
    await assertNamedControls(page, '/checkout with coupons');

    // A good code: the preview runs again with it and the discount shows.
    await page.fill('#coupon-code', ' save5 ');
    await page.click('#coupon-apply');
    await page.waitForSelector('#checkout-coupon-list li[data-code="SAVE5"]');
    assert.deepEqual(previews.at(-1).coupon_codes, ['SAVE5']);
    assert.equal(await page.getAttribute(`${p}-discount`, 'data-fen'), String(SAVE));
    assert.equal(await page.getAttribute(`${p}-total`, 'data-fen'), String(2 * PRICE + SHIPPING - SAVE));
    assert.equal(await page.getAttribute('#checkout-coupon-list li[data-code="SAVE5"]', 'data-fen'), String(SAVE));
    assert.equal(await page.inputValue('#coupon-code'), '');

    // An expired one: the server's message at the field; the good one stays.
    await page.fill('#coupon-code', 'OLD');
    await page.click('#coupon-apply');
    await page.waitForSelector('#coupon-code[aria-invalid=true]');
    assert.equal((await page.textContent('#coupon-code-error')).trim(), '这张优惠券已过期。');
    assert.equal(await page.locator('#checkout-coupon-list li').count(), 1);
    assert.equal(await page.getAttribute(`${p}-discount`, 'data-fen'), String(SAVE));

    // Placing sends the codes; "coupons gone" shows the server's message and the prices without them.
    const [placed] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/checkout') && r.request().method() === 'POST'),
      page.click('#checkout-place'),
    ]);
    assert.equal(placed.status(), 409);
    assert.deepEqual(placedBody.coupon_codes, ['SAVE5']);
    await page.waitForSelector('#checkout-error');
    assert.equal((await page.textContent('#checkout-error .alert-message')).trim(), '优惠券已被领完，请重新确认价格。');
    await page.waitForSelector('#checkout-coupon-list', { state: 'detached' });
    assert.equal(await page.getAttribute(`${p}-total`, 'data-fen'), String(2 * PRICE + SHIPPING));

    // Removing a code previews again without it.
    await page.fill('#coupon-code', 'SAVE5');
    await page.click('#coupon-apply');
    await page.waitForSelector('#checkout-coupon-list li[data-code="SAVE5"]');
    await page.click(`#checkout-coupon-list li[data-code="SAVE5"] button`);
    await page.waitForSelector('#checkout-coupon-list', { state: 'detached' });
    assert.equal(previews.at(-1).coupon_codes, undefined);
    assert.deepEqual(errors.filter((e) => !/409|422/.test(e.message)), []);
  } finally {
    await buyer.context.close();
  }
});

test('without the preview on the server, checkout falls back to the goods sums', async () => {
  const buyer = await phonePage(browser);
  try {
    const { page } = buyer;
    await registerThroughUi(page, { login: uniqueLogin('pbuy2'), password: 'buyer password 1', displayName: '买家' });
    await apiInPage(page, 'POST', '/addresses', {
      name: '王小明',
      phone: '13912345678',
      region_code: state.township,
      detail: '幸福路 8 号',
    });
    await apiInPage(page, 'POST', '/cart/items', { sku_id: state.sku, quantity: 1 });
    await page.route('**/api/v1/checkout/preview', (route) => problem(route, 404, 'not_found', 'Not found'));
    await page.goto('/checkout');
    await page.waitForSelector('#checkout-total');
    await page.waitForFunction(() => !document.querySelector('#checkout-coupons'));
    assert.equal(await page.getAttribute('#checkout-total', 'data-fen'), String(PRICE));
    assert.equal((await page.textContent('#checkout-fees-later')).trim(), zh['checkout.feesLater']);
    assert.equal(await page.locator('#checkout-preview-error').count(), 0);
  } finally {
    await buyer.context.close();
  }
});

test('the seller edits the shipping fees and adds a coupon; the buyer claims it', async () => {
  const s = seller.page;
  let saved = null;
  let template = {
    shop_id: state.shop,
    configured: true,
    free_over_fen: 0,
    rules: [{ provinces: [], first_weight_g: 1000, first_fen: 800, additional_weight_g: 1000, additional_fen: 400, remote: false }],
  };
  await s.route(`**/api/v1/shops/${state.shop}/shipping`, (route) => {
    if (route.request().method() === 'PUT') {
      saved = route.request().postDataJSON();
      template = saved;
      return json(route, 200, saved);
    }
    return json(route, 200, template);
  });
  await s.goto(`/seller/shops/${state.shop}`);
  await s.click('#seller-nav [data-section=shipping]');
  await s.waitForURL((u) => u.pathname === `/seller/shops/${state.shop}/shipping`);
  await s.waitForSelector('#rule-0');
  assert.equal(await s.inputValue('#rule-0-first_fen'), '8.00');
  await s.fill('#shipping-free-over', '99');
  await s.click('#shipping-add-rule');
  await s.waitForSelector('#rule-1');
  // A rule for no province is caught before it is sent.
  await s.click('#shipping-save');
  await s.waitForSelector('#rule-1-provinces-error');
  assert.equal((await s.textContent('#rule-1-provinces-error')).trim(), zh['shipping.chooseProvinces']);
  await s.waitForSelector('#rule-1-provinces input[value="65"]');
  await s.check('#rule-1-provinces input[value="65"]');
  await s.fill('#rule-1-first_fen', '15');
  await s.fill('#rule-1-additional_fen', '10.5');
  await s.check('#rule-1-remote');
  await assertNamedControls(s, '/seller/shops/:id/shipping');
  await s.click('#shipping-save');
  await s.waitForFunction((text) => document.querySelector('.status-message')?.textContent === text, zh['shipping.saved']);
  assert.deepEqual(saved, {
    free_over_fen: 9900,
    rules: [
      { provinces: [], first_weight_g: 1000, first_fen: 800, additional_weight_g: 1000, additional_fen: 400, remote: false },
      { provinces: ['65'], first_weight_g: 1000, first_fen: 1500, additional_weight_g: 1000, additional_fen: 1050, remote: true },
    ],
  });

  // A coupon: ¥5 off from ¥30, as the form sends it.
  let created = null;
  await s.route(`**/api/v1/shops/${state.shop}/coupons*`, (route) => {
    if (route.request().method() === 'POST') {
      created = route.request().postDataJSON();
      return json(route, 201, {
        id: '1',
        shop_id: state.shop,
        shop_name: state.shopName,
        issued_count: 0,
        used_count: 0,
        ...created,
      });
    }
    return json(route, 200, { items: [], next_cursor: null });
  });
  await s.click('#seller-nav [data-section=coupons]');
  await s.waitForSelector('#coupon-new-form');
  await s.fill('#coupon-title', '新客立减');
  await s.fill('#coupon-new-code', 'goji5');
  await s.fill('#coupon-amount', '5');
  await s.fill('#coupon-min-spend', '30');
  await assertNamedControls(s, '/seller/shops/:id/coupons');
  await s.click('#coupon-create');
  await s.waitForSelector('#coupon-list li[data-code="GOJI5"]');
  assert.equal(created.code, 'GOJI5');
  assert.equal(created.kind, 'fixed');
  assert.equal(created.amount_fen, 500);
  assert.equal(created.min_spend_fen, 3000);
  assert.match(created.starts_at, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00\+08:00$/);
  assert.equal(created.per_user_limit, 1);

  // The buyer claims it on the account's coupon page.
  const buyer = await phonePage(browser);
  try {
    const { page } = buyer;
    await registerThroughUi(page, { login: uniqueLogin('pbuy3'), password: 'buyer password 1', displayName: '买家' });
    const mine = [];
    await page.route('**/api/v1/coupons/mine*', (route) => json(route, 200, { items: mine, next_cursor: null }));
    await page.route('**/api/v1/coupons/claim', (route) => {
      const { code } = route.request().postDataJSON();
      if (code !== 'GOJI5') return problem(route, 422, 'coupon_unknown', '没有这张优惠券。');
      const claim = {
        id: '7',
        status: 'available',
        claimed_at: '2026-05-01T08:00:00+08:00',
        discount_fen: 0,
        coupon: { id: '1', shop_id: state.shop, shop_name: state.shopName, ...created },
        order_id: null,
        checkout_id: null,
      };
      mine.push(claim);
      return json(route, 201, claim);
    });
    await page.click('#link-coupons');
    await page.waitForURL((u) => u.pathname === '/account/coupons');
    await page.waitForSelector('#mine-empty');
    await assertNamedControls(page, '/account/coupons');
    await page.fill('#claim-code', 'nope');
    await page.click('#claim-submit');
    await page.waitForSelector('#claim-code[aria-invalid=true]');
    assert.equal((await page.textContent('#claim-code-error')).trim(), '没有这张优惠券。');
    await page.fill('#claim-code', 'goji5');
    await page.click('#claim-submit');
    await page.waitForSelector('#my-coupon-list li[data-code="GOJI5"][data-status=available]');
    await page.reload();
    await page.waitForSelector('#my-coupon-list li[data-code="GOJI5"]');
  } finally {
    await buyer.context.close();
  }
});
