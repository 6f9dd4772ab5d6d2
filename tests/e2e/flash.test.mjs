// Flash sales and the pinned product in the browser, against the server's
// flash sales, the channel's pin / flash_sale / stock / order_ticker events
// and the room's statistics. The host starts a sale from the console (units
// leave the SKU's stock); a viewer already in the room sees the card arrive,
// a buyer buys two at the flash price and lands on the payment of an unpaid
// order of the room; the stock bar falls on every page; the per-buyer limit
// is named; paying puts a masked buyer and the province on the order ticker
// and the sale into the console's figures; a sold-out card says so, and
// units come back when an order is cancelled; a sale that has not started
// refuses a buyer whose phone runs ahead; ending early gives the unsold units
// back to the SKU. The host pins a product and the card appears at once;
// its buy button checks out with the room's id. The tests share the room, in
// order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { formatFen } from '../../web/src/i18n/format.js';
import {
  apiInPage,
  launch,
  phonePage,
  registerThroughUi,
  ui,
  uniqueLogin,
  unnamedControls,
  verifiedShop,
} from './support.mjs';

const zh = ui['zh-CN'];
const PRICE = 3980;
const FLASH_PRICE = 1990;
const STOCK = 20;

let browser;
let host;
/** In the room before the sale starts: sees the card arrive by the channel. */
let watcher;
let buyer;
const state = {};

async function account(prefix, displayName) {
  const v = await phonePage(browser);
  await registerThroughUi(v.page, { login: uniqueLogin(prefix), password: 'flash password 1', displayName });
  const address = await apiInPage(v.page, 'POST', '/addresses', {
    name: '王小明',
    phone: '13912345678',
    region_code: state.township,
    detail: '幸福路 8 号',
    is_default: true,
  });
  assert.equal(address.status, 201, JSON.stringify(address.json));
  v.addressId = address.json.id;
  return v;
}

async function openRoom(v) {
  await v.page.goto(`/live/${state.room}`);
  await v.page.waitForSelector('#live-channel[data-conn="open"]');
}

const skuStock = async () => {
  const p = await apiInPage(host.page, 'GET', `/products/${state.product}`);
  return p.json.skus.find((s) => s.id === state.sku).stock;
};

const waitForLeft = (page, selector, left) =>
  page.waitForFunction(
    ({ selector, left }) => document.querySelector(selector)?.dataset.left === String(left),
    { selector, left },
  );

before(async () => {
  browser = await launch();
  host = await phonePage(browser);
  await registerThroughUi(host.page, { login: uniqueLogin('flashhost'), password: 'flash host password', displayName: '主播' });
  const shop = await verifiedShop(browser, host.page, '秒杀测试合作社');
  state.shop = shop.id;
  state.township = shop.township;
  const product = await apiInPage(host.page, 'POST', `/shops/${state.shop}/products`, {
    title: '秒杀 精河枸杞 250g',
    description: '',
    category_id: '111',
    origin_region_code: '652722',
    skus: [{ spec: '250克', price_fen: PRICE, stock: STOCK, weight_g: 260 }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.json));
  state.product = product.json.id;
  state.sku = product.json.skus[0].id;
  const room = await apiInPage(host.page, 'POST', '/live/rooms', {
    shop_id: state.shop,
    title: '秒杀测试直播间',
    scheduled_at: new Date(Date.now() + 3600_000).toISOString(),
  });
  assert.equal(room.status, 201, JSON.stringify(room.json));
  state.room = room.json.id;
  watcher = await account('watcher', '围观者');
  buyer = await account('flashbuyer', '抢购者');
});

after(async () => {
  await browser?.close();
});

test('the host starts a flash sale from the console; a viewer in the room sees its card arrive', async () => {
  await openRoom(watcher);
  assert.equal(await watcher.page.$('#live-flash'), null);

  await host.page.goto(`/seller/live/${state.room}`);
  await host.page.waitForSelector(`#console-flash-sku option[value="${state.sku}"]`, { state: 'attached' });
  await host.page.selectOption('#console-flash-sku', state.sku);
  await host.page.fill('#console-flash-price', '19.90');
  await host.page.fill('#console-flash-quantity', '5');
  await host.page.fill('#console-flash-limit', '2');
  await host.page.check('#console-flash-now');
  await host.page.fill('#console-flash-minutes', '10');
  assert.deepEqual(await host.page.evaluate(unnamedControls), []);
  const [reply] = await Promise.all([
    host.page.waitForResponse((r) => r.url().endsWith(`/live/rooms/${state.room}/flash-sales`) && r.request().method() === 'POST'),
    host.page.click('#console-flash-submit'),
  ]);
  assert.equal(reply.status(), 201, await reply.text());
  const sale = await reply.json();
  state.sale = String(sale.id);
  assert.equal(sale.price_fen, FLASH_PRICE);
  assert.equal(sale.list_price_fen, PRICE);
  assert.equal(sale.quantity, 5);
  assert.equal(sale.per_user_limit, 2);
  assert.equal(sale.room_id, state.room);
  // The console lists it with all five left; the units left the SKU's stock.
  await waitForLeft(host.page, `#console-sales [data-sale="${state.sale}"]`, 5);
  assert.equal(await skuStock(), STOCK - 5);

  // The viewer who was already watching gets the card by the channel, running, at the flash price.
  const card = `#flash-${state.sale}`;
  await watcher.page.waitForSelector(`${card}[data-phase="running"]`);
  assert.equal(await watcher.page.textContent(`${card}-price`), formatFen(FLASH_PRICE));
  assert.match(await watcher.page.textContent(`${card} .flash-list-price`), new RegExp(formatFen(PRICE).replace('.', '\\.')));
  assert.match(await watcher.page.textContent(`${card}-countdown`), /距结束 [0-9]+:[0-5][0-9]/);
  assert.deepEqual(await watcher.page.$eval(`${card} progress`, (p) => [p.value, p.max]), [5, 5]);
  assert.deepEqual(await watcher.page.evaluate(unnamedControls), []);
});

test('a buyer buys two at the flash price: an unpaid order of the room, and the stock falls everywhere', async () => {
  const page = buyer.page;
  await openRoom(buyer);
  const card = `#flash-${state.sale}`;
  // Opened after the sale started: the card comes with the room.
  await page.waitForSelector(`${card}[data-phase="running"]`);
  await page.click(`${card} [data-action="increase"]`);
  assert.equal(await page.inputValue(`${card}-qty`), '2');
  // The limit is two: the stepper stops there.
  assert.equal(await page.getAttribute(`${card} [data-action="increase"]`, 'aria-disabled'), 'true');
  const [reply] = await Promise.all([
    page.waitForResponse((r) => r.url().endsWith(`/live/flash-sales/${state.sale}/buy`)),
    page.click(`${card}-buy`),
  ]);
  assert.equal(reply.status(), 201, await reply.text());
  assert.ok(reply.request().headers()['idempotency-key'], 'the buy carries an Idempotency-Key');
  const { order, payment } = await reply.json();
  assert.equal(order.status, 'pending_payment');
  assert.equal(order.live_room_id, state.room);
  assert.equal(order.goods_fen, 2 * FLASH_PRICE);
  assert.equal(order.items.length, 1);
  assert.equal(order.items[0].sku_id, state.sku);
  assert.equal(order.items[0].quantity, 2);
  assert.equal(order.items[0].unit_price_fen, FLASH_PRICE);
  assert.equal(payment.amount_fen, order.total_fen);
  state.total = order.total_fen;
  const expiresIn = Date.parse(order.expires_at) - Date.now();
  assert.ok(expiresIn > 4 * 60_000 && expiresIn <= 5 * 60_000 + 5000, `expires in ${expiresIn} ms`);
  await page.waitForURL((u) => u.pathname === `/pay/${payment.id}`);
  state.payment = payment.id;
  state.order = order.id;

  await waitForLeft(watcher.page, card, 3);
  await waitForLeft(host.page, `#console-sales [data-sale="${state.sale}"]`, 3);
  assert.deepEqual(await watcher.page.$eval(`${card} progress`, (p) => [p.value, p.max]), [3, 5]);
});

test('a buyer at the limit is told so', async () => {
  const page = buyer.page;
  await openRoom(buyer);
  const card = `#flash-${state.sale}`;
  await page.waitForSelector(`${card}[data-phase="running"][data-left="3"]`);
  await page.click(`${card}-buy`);
  await page.waitForSelector(`${card}-error[data-code="limit_reached"]`);
  assert.equal((await page.textContent(`${card}-error`)).trim(), zh['live.flash.error.limit']);
  assert.equal(await page.getAttribute(card, 'data-left'), '3');
});

test('paying puts the masked buyer and the province on the ticker, and the sale in the console figures', async () => {
  const page = buyer.page;
  await page.goto(`/pay/${state.payment}`);
  await page.click('#pay-button');
  await page.waitForSelector('#pay-done');
  await watcher.page.waitForSelector('#live-ticker');
  const ticker = await watcher.page.textContent('#live-ticker');
  assert.match(ticker, /\*/, `no masked name in "${ticker}"`);
  assert.ok(!ticker.includes('抢购者') && !ticker.includes('王小明'), `a full name in "${ticker}"`);
  assert.match(ticker, /新疆/);
  assert.match(ticker, /2 × 秒杀 精河枸杞 250g/);
  // The console's figures refresh every five seconds.
  await host.page.waitForFunction(
    (gmv) => document.querySelector('#console-stat-gmv')?.textContent === gmv,
    formatFen(state.total),
    { timeout: 15_000 },
  );
  assert.equal(await host.page.textContent('#console-stat-paid'), '1');
  assert.equal(await host.page.textContent('#console-stat-buyers'), '1');
});

test('a sold-out card says so, and units come back when an order is cancelled', async () => {
  const card = `#flash-${state.sale}`;
  // The watcher takes two in the page, another buyer the last one.
  await watcher.page.click(`${card} [data-action="increase"]`);
  const [mine] = await Promise.all([
    watcher.page.waitForResponse((r) => r.url().endsWith(`/live/flash-sales/${state.sale}/buy`)),
    watcher.page.click(`${card}-buy`),
  ]);
  assert.equal(mine.status(), 201, await mine.text());
  const third = await account('lastbuyer', '最后一位');
  try {
    const last = await third.page.evaluate(
      async ({ sale, address }) => {
        const csrf = decodeURIComponent(document.cookie.match(/goji_csrf=([^;]+)/)[1]);
        const r = await fetch(`/api/v1/live/flash-sales/${sale}/buy`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', 'X-CSRF-Token': csrf, 'Idempotency-Key': `last-${Date.now()}` },
          body: JSON.stringify({ quantity: 1, address_id: address }),
        });
        return { status: r.status, json: await r.json() };
      },
      { sale: state.sale, address: third.addressId },
    );
    assert.equal(last.status, 201, JSON.stringify(last.json));
    await openRoom(watcher);
    await watcher.page.waitForSelector(`${card}[data-left="0"]`);
    assert.equal(await watcher.page.isDisabled(`${card}-buy`), true);
    assert.equal((await watcher.page.textContent(`${card}-buy`)).trim(), zh['live.flash.soldOut']);
    // Sold out does not end the sale.
    assert.equal(await watcher.page.getAttribute(card, 'data-phase'), 'running');
    const cancelled = await apiInPage(third.page, 'POST', `/orders/${last.json.order.id}/cancel`);
    assert.equal(cancelled.status, 200, JSON.stringify(cancelled.json));
    await watcher.page.waitForSelector(`${card}[data-left="1"]`);
    assert.equal(await watcher.page.isDisabled(`${card}-buy`), false);
  } finally {
    await third.context.close();
  }
});

test('a sale that has not started refuses a buyer whose phone clock runs ahead', async () => {
  const created = await apiInPage(host.page, 'POST', `/live/rooms/${state.room}/flash-sales`, {
    sku_id: state.sku,
    price_fen: 2500,
    quantity: 1,
    per_user_limit: 1,
    starts_at: new Date(Date.now() + 120_000).toISOString(),
    duration_s: 60,
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const early = String(created.json.id);
  const card = `#flash-${early}`;
  const v = await account('early', '心急的人');
  try {
    await v.context.clock.install();
    await openRoom(v);
    await v.page.waitForSelector(`${card}[data-phase="scheduled"]`);
    assert.match(await v.page.textContent(`${card}-countdown`), /[0-9]+:[0-5][0-9] 后开抢/);
    assert.equal(await v.page.isDisabled(`${card}-buy`), true);
    // The phone's clock jumps two minutes: the card thinks the sale runs, the server knows better.
    await v.page.clock.fastForward(125_000);
    await v.page.waitForSelector(`${card}[data-phase="running"]`);
    await v.page.click(`${card}-buy`);
    await v.page.waitForSelector(`${card}-error[data-code="not_started"]`);
    assert.equal((await v.page.textContent(`${card}-error`)).trim(), zh['live.flash.error.notStarted']);
  } finally {
    await v.context.close();
  }
  // End it again so that the next test counts one sale's units.
  const ended = await apiInPage(host.page, 'POST', `/live/flash-sales/${early}/end`);
  assert.equal(ended.status, 200, JSON.stringify(ended.json));
});

test('ending a sale early shows it ended and gives the unsold units back to the SKU', async () => {
  const row = `#console-sales [data-sale="${state.sale}"]`;
  await waitForLeft(host.page, row, 1);
  const before = await skuStock();
  const left = 1;
  host.page.once('dialog', (d) => d.accept());
  const [reply] = await Promise.all([
    host.page.waitForResponse((r) => r.url().endsWith(`/live/flash-sales/${state.sale}/end`)),
    host.page.click(`${row} [data-action="end-sale"]`),
  ]);
  assert.equal(reply.status(), 200, await reply.text());
  await host.page.waitForSelector(`${row}[data-phase="ended"]`);
  const card = `#flash-${state.sale}`;
  await watcher.page.waitForSelector(`${card}[data-phase="ended"]`);
  assert.equal(await watcher.page.$(`${card}-buy`), null);
  assert.equal((await watcher.page.textContent(`${card}-countdown`)).trim(), zh['live.flash.over']);
  assert.equal(await skuStock(), before + left);
});

test('the host pins a product: the card appears at once and buys through checkout with the room', async () => {
  await openRoom(buyer);
  assert.equal(await buyer.page.$('#live-pinned'), null);
  await host.page.selectOption('#console-pin-product', state.product);
  await host.page.click('#console-pin-submit');
  await buyer.page.waitForSelector('#live-pinned #live-buy:not([disabled])');
  assert.equal(await buyer.page.textContent('#live-pinned-link'), '秒杀 精河枸杞 250g');
  assert.equal(await buyer.page.textContent('#live-pinned-price'), formatFen(PRICE));
  await buyer.page.click('#live-buy');
  await buyer.page.waitForURL((u) => u.pathname === '/checkout' && u.searchParams.get('live_room_id') === state.room);
  await buyer.page.waitForSelector('#checkout-place:not([disabled])');
  const [reply] = await Promise.all([
    buyer.page.waitForResponse((r) => r.url().endsWith('/api/v1/checkout') && r.request().method() === 'POST'),
    buyer.page.click('#checkout-place'),
  ]);
  assert.equal(reply.status(), 201, await reply.text());
  assert.equal(JSON.parse(reply.request().postData()).live_room_id, state.room);
  const placed = await reply.json();
  assert.equal(placed.orders[0].live_room_id, state.room);
  // Unpinned: the card leaves the room page.
  await openRoom(buyer);
  await buyer.page.waitForSelector('#live-pinned');
  await host.page.click('#console-unpin');
  await buyer.page.waitForSelector('#live-pinned', { state: 'detached' });
});
