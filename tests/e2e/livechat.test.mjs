// The live room's channel in the browser: two viewers (two Chromium
// contexts, each logged in as its own user) and the host on one scheduled
// room. A line one viewer sends reaches the other's page; a like raises the
// count on both; a second line within a second is refused with the
// channel's "too fast" message; the host console mutes a viewer and that
// viewer's next line is refused (shown in Uyghur, right to left) and reaches
// nobody; a dropped socket is reopened (the page says it is reconnecting
// meanwhile); leaving the page closes the socket (the others' viewer count
// drops); a removed viewer's page stays closed. The tests of this file
// share the room, in order.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import {
  apiInPage,
  launch,
  phonePage,
  registerThroughUi,
  switchLanguage,
  ui,
  uniqueLogin,
  unnamedControls,
  verifiedShop,
} from './support.mjs';

const zh = ui['zh-CN'];
const ug = ui.ug;

let browser;
let host;
let alice;
let bob;
const state = {};

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function viewer(displayName) {
  const v = await phonePage(browser);
  await registerThroughUi(v.page, { login: uniqueLogin('viewer'), password: 'viewer password 1', displayName });
  const me = await apiInPage(v.page, 'GET', '/me');
  assert.equal(me.status, 200, JSON.stringify(me.json));
  v.userId = String(me.json.user.id);
  return v;
}

/** Keeps every WebSocket the page opens in window.__sockets, so a test can drop one. */
const TRACK_SOCKETS = () => {
  const Native = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
    }
  };
};

async function openRoom(v) {
  await v.page.goto(`/live/${state.room}`);
  await v.page.waitForSelector('#live-channel[data-slot="room-channel"][data-conn="open"]');
}

async function say(page, text, prefix = 'live-chat') {
  await page.fill(`#${prefix}-input`, text);
  await page.press(`#${prefix}-input`, 'Enter');
}

/** The texts of the chat lines on a page. */
const lines = (page, prefix = 'live-chat') =>
  page.$$eval(`#${prefix}-lines .chat-line .chat-text`, (els) => els.map((e) => e.textContent));

const waitForLine = (page, text, prefix = 'live-chat') =>
  page.waitForFunction(
    ({ text, prefix }) =>
      [...document.querySelectorAll(`#${prefix}-lines .chat-line .chat-text`)].some((e) => e.textContent === text),
    { text, prefix },
  );

before(async () => {
  browser = await launch();
  host = await phonePage(browser);
  await registerThroughUi(host.page, { login: uniqueLogin('chathost'), password: 'chat host password', displayName: '主播小王' });
  const shop = await verifiedShop(browser, host.page, '直播聊天合作社');
  const room = await apiInPage(host.page, 'POST', '/live/rooms', {
    shop_id: shop.id,
    title: '聊天测试直播间',
    scheduled_at: new Date(Date.now() + 3600_000).toISOString(),
  });
  assert.equal(room.status, 201, JSON.stringify(room.json));
  state.room = room.json.id;
  alice = await viewer('观众甲');
  await alice.context.addInitScript(TRACK_SOCKETS);
  bob = await viewer('观众乙');
});

after(async () => {
  await browser?.close();
});

test('a line sent by another viewer appears on the page, with the sender and the counter', async () => {
  await openRoom(alice);
  await openRoom(bob);
  assert.equal(await alice.page.textContent('#live-chat-count'), zh['live.chat.count'].replace('{n}', '0').replace('{max}', '200'));
  await bob.page.fill('#live-chat-input', '枸杞多少钱一斤');
  assert.equal(await bob.page.textContent('#live-chat-count'), '7/200');
  await bob.page.press('#live-chat-input', 'Enter');
  await waitForLine(alice.page, '枸杞多少钱一斤');
  const line = await alice.page.$eval(`#live-chat-lines .chat-line[data-user="${bob.userId}"]`, (li) => ({
    name: li.querySelector('.chat-name').textContent,
    text: li.querySelector('.chat-text').textContent,
  }));
  assert.deepEqual(line, { name: '观众乙', text: '枸杞多少钱一斤' });
  // The sender sees the line too, and the input is empty again.
  await waitForLine(bob.page, '枸杞多少钱一斤');
  assert.equal(await bob.page.inputValue('#live-chat-input'), '');
  // Both viewers are counted (the count is sent at most once a second).
  await alice.page.waitForFunction(() => Number(document.querySelector('#live-viewers')?.dataset.count) >= 2);
  assert.deepEqual(await alice.page.evaluate(unnamedControls), []);
  assert.equal(alice.errors.length, 0, alice.errors.map(String).join('\n'));
});

test("a like raises the count at once and on the other viewer's page", async () => {
  const before = Number(await alice.page.getAttribute('#live-likes', 'data-count'));
  await alice.page.click('#live-like');
  // Optimistic: counted before the server's total arrives.
  assert.equal(Number(await alice.page.getAttribute('#live-likes', 'data-count')), before + 1);
  await bob.page.waitForFunction((n) => Number(document.querySelector('#live-likes')?.dataset.count) === n, before + 1);
  await alice.page.waitForTimeout(500);
  assert.equal(Number(await alice.page.getAttribute('#live-likes', 'data-count')), before + 1, 'the server total agrees');
});

test("a second line within a second is refused with the channel's message", async () => {
  await sleep(1100);
  await say(alice.page, '第一句');
  await say(alice.page, '第二句太快了');
  await alice.page.waitForSelector('#live-chat-error[data-code="chat_too_fast"]');
  assert.equal((await alice.page.textContent('#live-chat-error')).trim(), zh['live.chat.error.tooFast']);
  // The refused line comes back into the input to send again.
  assert.equal(await alice.page.inputValue('#live-chat-input'), '第二句太快了');
  await waitForLine(bob.page, '第一句');
  await sleep(500);
  assert.ok(!(await lines(bob.page)).includes('第二句太快了'), 'the refused line reached another viewer');
  // Too long: refused in the page before anything is sent.
  await alice.page.fill('#live-chat-input', '长'.repeat(201));
  assert.equal(await alice.page.getAttribute('#live-chat-input', 'aria-invalid'), 'true');
  await alice.page.press('#live-chat-input', 'Enter');
  await alice.page.waitForSelector('#live-chat-error[data-code="too_long"]');
  assert.equal((await alice.page.textContent('#live-chat-error')).trim(), zh['live.chat.error.tooLong']);
});

test('a visitor sees the chat and is asked to log in to take part', async () => {
  const visitor = await phonePage(browser);
  try {
    await visitor.page.goto(`/live/${state.room}`);
    await visitor.page.waitForSelector('#live-channel[data-conn="open"] #live-chat-login');
    assert.equal(await visitor.page.$('#live-chat-input'), null);
    await sleep(1100);
    await say(bob.page, '游客也能看到');
    await waitForLine(visitor.page, '游客也能看到');
    assert.equal(
      await visitor.page.getAttribute('#live-chat-login a', 'href'),
      `/login?next=${encodeURIComponent(`/live/${state.room}`)}`,
    );
  } finally {
    await visitor.context.close();
  }
});

test('the host console mutes a viewer, whose next line is refused in Uyghur and reaches nobody', async () => {
  await host.page.goto(`/seller/live/${state.room}`);
  await host.page.waitForSelector('#console-chat');
  await sleep(1100);
  await say(bob.page, '请主播看这里');
  await waitForLine(host.page, '请主播看这里', 'console-chat');
  assert.deepEqual(await host.page.evaluate(unnamedControls), []);
  const bobLine = `#console-chat-lines .chat-line[data-user="${bob.userId}"]`;
  // Mute buttons for 10 min, 1 h and 1 day on each viewer's line.
  const buttons = await host.page.$$eval(`${bobLine}:last-child [data-action^="mute-"]`, (bs) =>
    bs.map((b) => [b.dataset.action, b.textContent]),
  );
  assert.deepEqual(buttons, [
    ['mute-10', zh['liveConsole.mute10m']],
    ['mute-60', zh['liveConsole.mute1h']],
    ['mute-1440', zh['liveConsole.mute1d']],
  ]);
  const [reply] = await Promise.all([
    host.page.waitForResponse((r) => r.url().endsWith(`/live/rooms/${state.room}/mute`)),
    host.page.click(`${bobLine}:last-child [data-action="mute-10"]`),
  ]);
  assert.equal(reply.status(), 200);
  assert.equal((await reply.json()).user_id, bob.userId);
  await host.page.waitForFunction(
    (text) => document.querySelector('#console-chat .status-message')?.textContent === text,
    zh['liveConsole.muted'].replace('{name}', '观众乙'),
  );

  // The muted viewer reads the refusal in the language chosen: Uyghur, right to left.
  await switchLanguage(bob.page, 'ug');
  await bob.page.waitForSelector('#live-channel[data-conn="open"]');
  assert.equal(await bob.page.evaluate(() => document.documentElement.dir), 'rtl');
  await sleep(1100);
  await say(bob.page, '我被禁言了吗');
  await bob.page.waitForSelector('#live-chat-error[data-code="muted"]');
  assert.equal((await bob.page.textContent('#live-chat-error')).trim(), ug['live.chat.error.muted']);
  // In RTL the send button sits to the left of the input.
  const input = await bob.page.$eval('#live-chat-input', (e) => e.getBoundingClientRect().left);
  const send = await bob.page.$eval('#live-chat-send', (e) => e.getBoundingClientRect().left);
  assert.ok(send < input, `send button at ${send}, input at ${input}`);
  const overflow = await bob.page.evaluate(() => document.documentElement.scrollWidth > window.innerWidth);
  assert.equal(overflow, false, 'the Uyghur room page scrolls sideways');
  await sleep(700);
  assert.ok(!(await lines(alice.page)).includes('我被禁言了吗'), 'the muted line reached a viewer');
  assert.ok(!(await lines(host.page, 'console-chat')).includes('我被禁言了吗'), 'the muted line reached the host');

  // Another viewer still chats.
  await say(alice.page, '我还能说话');
  await waitForLine(host.page, '我还能说话', 'console-chat');
});

test('the chat keeps the newest line in view unless the viewer scrolled up', async () => {
  const page = alice.page;
  // Fill the list beyond its height from the host's console (one line a second).
  for (let i = 0; i < 12; i += 1) {
    await sleep(1050);
    await say(host.page, `第${i + 1}条公告，今天枸杞特价`, 'console-chat');
  }
  await waitForLine(page, '第12条公告，今天枸杞特价');
  const atBottom = () =>
    page.$eval('#live-chat .chat-scroll', (el) => el.scrollHeight - el.scrollTop - el.clientHeight < 32);
  assert.ok(await atBottom(), 'the newest line is in view');
  await page.$eval('#live-chat .chat-scroll', (el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  await page.waitForSelector('#live-chat-newest');
  await sleep(1050);
  await say(host.page, '往上翻的时候不跳', 'console-chat');
  await waitForLine(page, '往上翻的时候不跳');
  assert.equal(await page.$eval('#live-chat .chat-scroll', (el) => el.scrollTop), 0, 'the list jumped while read');
  await page.click('#live-chat-newest');
  assert.ok(await atBottom());
});

test('leaving the room page closes its socket', async () => {
  await alice.page.waitForFunction(() => Number(document.querySelector('#live-viewers')?.dataset.count) >= 3);
  const before = Number(await alice.page.getAttribute('#live-viewers', 'data-count'));
  await bob.page.click('header a.brand');
  await bob.page.waitForURL((u) => u.pathname === '/');
  await alice.page.waitForFunction(
    (n) => Number(document.querySelector('#live-viewers')?.dataset.count) === n - 1,
    before,
    { timeout: 10_000 },
  );
});

test('a dropped socket is reopened, and the chat goes on', async () => {
  const page = alice.page;
  assert.equal(await page.evaluate(() => window.__sockets.length), 1);
  await page.evaluate(() => window.__sockets[0].close());
  await page.waitForSelector('#live-conn[data-state="reconnecting"]');
  assert.equal((await page.textContent('#live-conn')).trim(), zh['live.conn.reconnecting']);
  await page.waitForSelector('#live-channel[data-conn="open"]', { timeout: 10_000 });
  assert.equal(await page.$('#live-conn'), null);
  assert.equal(await page.evaluate(() => window.__sockets.length), 2);
  await sleep(1100);
  await say(host.page, '重新连上了吗', 'console-chat');
  await waitForLine(page, '重新连上了吗');
});

test('a viewer the host removes is told so and not reconnected', async () => {
  const carol = await viewer('观众丙');
  try {
    await openRoom(carol);
    await sleep(1100);
    await say(carol.page, '我要被移出了');
    await waitForLine(host.page, '我要被移出了', 'console-chat');
    host.page.once('dialog', (d) => d.accept());
    const [reply] = await Promise.all([
      host.page.waitForResponse((r) => r.url().endsWith(`/live/rooms/${state.room}/remove`)),
      host.page.click(`#console-chat-lines .chat-line[data-user="${carol.userId}"] [data-action="remove"]`),
    ]);
    assert.equal(reply.status(), 200);
    await carol.page.waitForSelector('#live-channel[data-conn="closed"]');
    assert.equal((await carol.page.textContent('#live-conn')).trim(), zh['live.conn.closed']);
    assert.equal(await carol.page.isDisabled('#live-chat-input'), true);
    // Reopening the page is refused too.
    await carol.page.reload();
    await carol.page.waitForSelector('#live-channel[data-conn="closed"]');
    await carol.page.waitForSelector('#live-chat-error[data-code="removed"]');
  } finally {
    await carol.context.close();
  }
});
