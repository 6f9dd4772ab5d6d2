// Prices in the browser, against the server's own pricing: the seller sets
// the shop's shipping fees on the shipping page (a default rule and a remote
// rule for Xinjiang) and creates a percentage coupon on the coupons page; a
// buyer claims it on /account/coupons (an unknown code first, refused with
// the server's message), then checks out: the preview shows the fee of the
// chosen address's province, a bad code shows the server's message and
// changes nothing, the good one takes its discount off, and the order placed
// costs what the preview said. Every figure below is worked out from the
// template and the coupon set here. The tests of this file run in order and
// share the shop, the product and the coupon.
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
  ui,
  uniqueLogin,
  unnamedControls,
} from './support.mjs';

const zh = ui['zh-CN'];

/** The product: ¥20.00 a piece, 1 kg each. The buyer takes four. */
const PRICE = 2000;
const WEIGHT_G = 1000;
const QUANTITY = 4;
const GOODS = PRICE * QUANTITY;

/**
 * The template the seller types: free shipping from ¥99 (more than these goods), the default rule
 * ¥7 + ¥4 a further kg, and a remote rule for Xinjiang (65) of ¥15 + ¥10.50 a further kg.
 */
const FREE_OVER = 9900;
const DEFAULT_RULE = { first_weight_g: 1000, first_fen: 700, additional_weight_g: 1000, additional_fen: 400 };
const XINJIANG_RULE = { first_weight_g: 1000, first_fen: 1500, additional_weight_g: 1000, additional_fen: 1050 };

/** The fee of one rule for a parcel: the first weight, then each further step started. */
function weightFee(rule, weightG) {
  const steps = Math.max(0, Math.ceil((weightG - rule.first_weight_g) / rule.additional_weight_g));
  return rule.first_fen + steps * rule.additional_fen;
}

/** 4 kg to Xinjiang: ¥15 + 3 × ¥10.50 = ¥46.50; to Beijing (the default rule): ¥7 + 3 × ¥4 = ¥19. */
const SHIPPING_XJ = weightFee(XINJIANG_RULE, QUANTITY * WEIGHT_G);
const SHIPPING_BJ = weightFee(DEFAULT_RULE, QUANTITY * WEIGHT_G);

/** The coupon: 10 % off from ¥30, at most ¥6; on ¥80 of goods 10 % is ¥8, so the cap gives ¥6. */
const PERCENT = 10;
const CAP = 600;
const MIN_SPEND = 3000;
const DISCOUNT = Math.min((GOODS * PERCENT) / 100, CAP);

let browser;
let seller;
const state = {
  xinjiangTownship: null,
  beijingTownship: null,
  shop: null,
  shopName: null,
  product: null,
  sku: null,
  code: `GJ${Date.now().toString(36).toUpperCase()}`.slice(0, 16),
  couponCreated: false,
};

async function assertNamedControls(page, where) {
  assert.deepEqual(await page.evaluate(unnamedControls), [], `${where}: unnamed controls`);
  assert.equal(await page.locator('main h1').count(), 1, `${where}: one h1`);
}

/** The first township under a province, walking down its first city and district. */
async function firstTownship(page, province) {
  let code = province;
  for (let depth = 0; depth < 3; depth += 1) {
    const r = await apiInPage(page, 'GET', `/regions/${code}/children?limit=100`);
    assert.equal(r.status, 200, `children of ${code}: ${JSON.stringify(r.json)}`);
    assert.ok(r.json.items.length, `region ${code} has children`);
    code = r.json.items[0].code;
  }
  return code;
}

before(async () => {
  browser = await launch();
  seller = await phonePage(browser);
  await registerThroughUi(seller.page, { login: uniqueLogin('psell'), password: 'seller password 1', displayName: '卖家' });
  const townships = await apiInPage(seller.page, 'GET', '/regions/652722/children?limit=100');
  assert.equal(townships.status, 200);
  state.xinjiangTownship = townships.json.items[0].code;
  state.beijingTownship = await firstTownship(seller.page, '11');
  state.shopName = `运费测试店${Date.now().toString(36).slice(-4)}`;
  const shop = await apiInPage(seller.page, 'POST', '/shops', {
    name: state.shopName,
    kind: 'farmer',
    region_code: state.xinjiangTownship,
    poverty_relief: false,
  });
  assert.equal(shop.status, 201, JSON.stringify(shop.json));
  state.shop = shop.json.id;
  assert.ok(OFFICER.password, 'E2E_OFFICER_PASSWORD is set by scripts/e2e.sh');
  const officer = await phonePage(browser);
  await loginThroughUi(officer.page, OFFICER);
  assert.equal((await apiInPage(officer.page, 'POST', `/shops/${state.shop}/verify`)).status, 200);
  await officer.context.close();
  const product = await apiInPage(seller.page, 'POST', `/shops/${state.shop}/products`, {
    title: '精河枸杞 运费测试',
    description: '',
    category_id: '111',
    origin_region_code: '652722',
    skus: [{ spec: '1千克', price_fen: PRICE, stock: 20, weight_g: WEIGHT_G }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.json));
  state.product = product.json.id;
  state.sku = product.json.skus[0].id;
});

after(async () => {
  await seller?.context.close();
  await browser?.close();
});

test('the seller sets the shipping fees on the shipping page and the server keeps them', async () => {
  const s = seller.page;
  const before = await apiInPage(s, 'GET', `/shops/${state.shop}/shipping`);
  assert.equal(before.status, 200, JSON.stringify(before.json));
  assert.equal(before.json.configured, false);

  await s.goto(`/seller/shops/${state.shop}`);
  await s.click('#seller-nav [data-section=shipping]');
  await s.waitForURL((u) => u.pathname === `/seller/shops/${state.shop}/shipping`);
  await s.waitForSelector('#rule-0');
  // A shop without a template starts from the suggested default rule.
  assert.equal(await s.inputValue('#rule-0-first_fen'), '8.00');
  await s.fill('#shipping-free-over', '99');
  await s.fill('#rule-0-first_fen', '7');
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
  const [put] = await Promise.all([
    s.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/shops/${state.shop}/shipping`) && r.request().method() === 'PUT',
    ),
    s.click('#shipping-save'),
  ]);
  assert.equal(put.status(), 200);
  await s.waitForFunction((text) => document.querySelector('.status-message')?.textContent === text, zh['shipping.saved']);

  // What the server now holds.
  const saved = await apiInPage(s, 'GET', `/shops/${state.shop}/shipping`);
  assert.equal(saved.status, 200);
  assert.equal(saved.json.configured, true);
  assert.equal(saved.json.free_over_fen, FREE_OVER);
  assert.deepEqual(saved.json.rules, [
    { provinces: [], ...DEFAULT_RULE, remote: false },
    { provinces: ['65'], ...XINJIANG_RULE, remote: true },
  ]);

  // The page shows the saved template when opened again.
  await s.reload();
  await s.waitForSelector('#rule-1');
  assert.equal(await s.inputValue('#shipping-free-over'), '99.00');
  assert.equal(await s.inputValue('#rule-0-first_fen'), '7.00');
  assert.equal(await s.inputValue('#rule-1-additional_fen'), '10.50');
  assert.ok(await s.isChecked('#rule-1-provinces input[value="65"]'));
  assert.ok(await s.isChecked('#rule-1-remote'));
});

test('the seller creates a percentage coupon on the coupons page', async () => {
  const s = seller.page;
  await s.goto(`/seller/shops/${state.shop}/shipping`);
  await s.click('#seller-nav [data-section=coupons]');
  await s.waitForURL((u) => u.pathname === `/seller/shops/${state.shop}/coupons`);
  await s.waitForSelector('#coupon-new-form');
  await s.fill('#coupon-title', '新客九折');
  await s.fill('#coupon-new-code', state.code.toLowerCase());
  await s.selectOption('#coupon-kind', 'percent');
  await s.fill('#coupon-percent', String(PERCENT));
  await s.fill('#coupon-cap', '6');
  await s.fill('#coupon-min-spend', '30');
  await assertNamedControls(s, '/seller/shops/:id/coupons');
  const [post] = await Promise.all([
    s.waitForResponse(
      (r) => r.url().endsWith(`/api/v1/shops/${state.shop}/coupons`) && r.request().method() === 'POST',
    ),
    s.click('#coupon-create'),
  ]);
  assert.equal(post.status(), 201, await post.text());
  await s.waitForSelector(`#coupon-list li[data-code="${state.code}"]`);

  // The server's coupon, with the figures typed in yuan sent as fen.
  const list = await apiInPage(s, 'GET', `/shops/${state.shop}/coupons`);
  assert.equal(list.status, 200);
  const coupon = list.json.items.find((c) => c.code === state.code);
  assert.ok(coupon, JSON.stringify(list.json));
  assert.equal(coupon.kind, 'percent');
  assert.equal(coupon.percent_off, PERCENT);
  assert.equal(coupon.max_discount_fen, CAP);
  assert.equal(coupon.min_spend_fen, MIN_SPEND);
  assert.equal(coupon.per_user_limit, 1);
  assert.equal(coupon.issued_count, 0);
  assert.equal(coupon.shop_id, state.shop);

  // Still there when the page is opened again.
  await s.reload();
  await s.waitForSelector(`#coupon-list li[data-code="${state.code}"]`);
  state.couponCreated = true;
});

test('the buyer claims the coupon; checkout prices it for the chosen province; the order costs the preview', async () => {
  assert.ok(state.couponCreated, 'the coupon of the previous test');
  const buyer = await phonePage(browser);
  try {
    const { page, errors } = buyer;
    await registerThroughUi(page, { login: uniqueLogin('pbuy'), password: 'buyer password 1', displayName: '买家' });
    const xinjiang = await apiInPage(page, 'POST', '/addresses', {
      name: '王小明',
      phone: '13912345678',
      region_code: state.xinjiangTownship,
      detail: '幸福路 8 号',
      is_default: true,
    });
    assert.equal(xinjiang.status, 201, JSON.stringify(xinjiang.json));
    const beijing = await apiInPage(page, 'POST', '/addresses', {
      name: '王小明',
      phone: '13912345678',
      region_code: state.beijingTownship,
      detail: '长安街 1 号',
    });
    assert.equal(beijing.status, 201, JSON.stringify(beijing.json));
    const added = await apiInPage(page, 'POST', '/cart/items', { sku_id: state.sku, quantity: QUANTITY });
    assert.ok(added.status === 200 || added.status === 201, JSON.stringify(added.json));

    // The claim: an unknown code gets the server's message, the real one is kept.
    await page.goto('/account');
    await page.click('#link-coupons');
    await page.waitForURL((u) => u.pathname === '/account/coupons');
    await page.waitForSelector('#mine-empty');
    await assertNamedControls(page, '/account/coupons');
    await page.fill('#claim-code', 'NOPE-0000');
    await page.click('#claim-submit');
    await page.waitForSelector('#claim-code[aria-invalid=true]');
    assert.equal((await page.textContent('#claim-code-error')).trim(), server['zh-CN']['problem.coupon_unknown']);
    await page.fill('#claim-code', ` ${state.code.toLowerCase()} `);
    await page.click('#claim-submit');
    await page.waitForSelector(`#my-coupon-list li[data-code="${state.code}"][data-status=available]`);
    await page.reload();
    await page.waitForSelector(`#my-coupon-list li[data-code="${state.code}"][data-status=available]`);

    // Checkout to the default address in Xinjiang: the remote rule's fee, no discount yet.
    const previews = [];
    page.on('request', (r) => {
      if (r.url().endsWith('/api/v1/checkout/preview')) previews.push(r.postDataJSON());
    });
    await page.goto('/checkout');
    const p = `#checkout-preview-${state.shop}`;
    await page.waitForSelector(`${p}-shipping[data-fen="${SHIPPING_XJ}"]`);
    assert.equal(previews[0].address_id, xinjiang.json.id);
    assert.deepEqual(previews[0].items, [{ sku_id: state.sku, quantity: QUANTITY }]);
    assert.equal(await page.getAttribute(`${p}-goods`, 'data-fen'), String(GOODS));
    assert.equal(await page.getAttribute(`${p}-total`, 'data-fen'), String(GOODS + SHIPPING_XJ));
    assert.equal(await page.locator(`${p}-discount`).count(), 0);
    assert.equal(await page.getAttribute('#checkout-preview-amount', 'data-fen'), String(GOODS + SHIPPING_XJ));
    await assertNamedControls(page, '/checkout');

    // Another province: the default rule's fee.
    await page.check(`#checkout-addresses [data-address-id="${beijing.json.id}"] input`);
    await page.waitForSelector(`${p}-shipping[data-fen="${SHIPPING_BJ}"]`);
    assert.equal(previews.at(-1).address_id, beijing.json.id);
    assert.equal(await page.getAttribute(`${p}-total`, 'data-fen'), String(GOODS + SHIPPING_BJ));
    await page.check(`#checkout-addresses [data-address-id="${xinjiang.json.id}"] input`);
    await page.waitForSelector(`${p}-shipping[data-fen="${SHIPPING_XJ}"]`);

    // A code no coupon has: the server's message at the field, and nothing else changes.
    await page.fill('#coupon-code', 'NOPE-0000');
    await page.click('#coupon-apply');
    await page.waitForSelector('#coupon-code[aria-invalid=true]');
    assert.equal((await page.textContent('#coupon-code-error')).trim(), server['zh-CN']['problem.coupon_unknown']);
    assert.equal(await page.locator('#checkout-coupon-list').count(), 0);
    assert.equal(await page.locator(`${p}-discount`).count(), 0);
    assert.equal(await page.getAttribute(`${p}-shipping`, 'data-fen'), String(SHIPPING_XJ));
    assert.equal(await page.getAttribute('#checkout-preview-amount', 'data-fen'), String(GOODS + SHIPPING_XJ));

    // The claimed code: 10 % of the goods, held to the cap.
    await page.fill('#coupon-code', state.code.toLowerCase());
    await page.click('#coupon-apply');
    await page.waitForSelector(`#checkout-coupon-list li[data-code="${state.code}"]`);
    assert.deepEqual(previews.at(-1).coupon_codes, [state.code]);
    await page.waitForSelector(`${p}-discount[data-fen="${DISCOUNT}"]`);
    const expected = GOODS + SHIPPING_XJ - DISCOUNT;
    assert.equal(await page.getAttribute(`${p}-shipping`, 'data-fen'), String(SHIPPING_XJ));
    assert.equal(await page.getAttribute(`${p}-total`, 'data-fen'), String(expected));
    assert.equal(await page.getAttribute('#checkout-preview-amount', 'data-fen'), String(expected));
    const chip = `#checkout-coupon-list li[data-code="${state.code}"]`;
    assert.equal(await page.getAttribute(chip, 'data-fen'), String(DISCOUNT));
    assert.equal(await page.inputValue('#coupon-code'), '');

    // The order costs what the preview said.
    const [placedReply] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith('/api/v1/checkout') && r.request().method() === 'POST'),
      page.click('#checkout-place'),
    ]);
    assert.equal(placedReply.status(), 201, await placedReply.text());
    assert.deepEqual(placedReply.request().postDataJSON().coupon_codes, [state.code]);
    await page.waitForSelector('#checkout-placed');
    assert.equal(await page.getAttribute('#checkout-amount', 'data-fen'), String(expected));
    const orderId = await page.getAttribute('#checkout-placed li[data-order-id]', 'data-order-id');
    assert.equal(await page.getAttribute(`#placed-${orderId}-shipping`, 'data-fen'), String(SHIPPING_XJ));
    assert.equal(await page.getAttribute(`#placed-${orderId}-discount`, 'data-fen'), String(DISCOUNT));
    assert.equal(await page.getAttribute(`#placed-${orderId}-total`, 'data-fen'), String(expected));
    const order = await apiInPage(page, 'GET', `/orders/${orderId}`);
    assert.equal(order.status, 200, JSON.stringify(order.json));
    assert.deepEqual(
      [order.json.goods_fen, order.json.shipping_fen, order.json.discount_fen, order.json.total_fen],
      [GOODS, SHIPPING_XJ, DISCOUNT, expected],
    );

    // The claim is now used, with the discount it gave.
    await page.goto('/account/coupons');
    await page.waitForSelector(`#my-coupon-list li[data-code="${state.code}"][data-status=used]`);
    const mine = await apiInPage(page, 'GET', '/coupons/mine');
    const claim = mine.json.items.find((c) => c.coupon.code === state.code);
    assert.equal(claim.status, 'used');
    assert.equal(claim.discount_fen, DISCOUNT);
    assert.equal(claim.order_id, orderId);
    assert.deepEqual(errors, []);
  } finally {
    await buyer.context.close();
  }
});
