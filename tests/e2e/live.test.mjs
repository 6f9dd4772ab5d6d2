// Live video end to end: nginx with nginx-rtmp (started by scripts/e2e.sh
// with the configuration `goji nginx-config` renders) asks goji whether a
// stream key may publish. ffmpeg pushes a test pattern (H.264/AAC) with the
// room's key → the room turns live → Chromium plays the HLS stream on the
// room page (the video's currentTime advances); a wrong key is refused by
// nginx through goji's callback; when the push stops the room ends (the open
// page turns to its replays) and the recording becomes a replay. The key
// appears in no log and no file name.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { apiInPage, launch, phonePage, registerThroughUi, uniqueLogin, verifiedShop } from './support.mjs';

const RTMP = process.env.E2E_LIVE_RTMP_URL ?? '';
const LIVE_DIR = process.env.E2E_LIVE_DIR ?? '';
const LOGS = (process.env.E2E_LOG_FILES ?? '').split(':').filter(Boolean);

let browser;
let seller;
const state = {};
const children = new Set();

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, check, timeoutMs = 30_000, everyMs = 250) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** ffmpeg pushing a test pattern with sound to rtmp://…/live/<key> for `seconds`. */
function push(key, seconds) {
  const args = [
    '-hide_banner', '-loglevel', 'error', '-nostdin', '-re',
    '-f', 'lavfi', '-i', 'testsrc=size=320x240:rate=15',
    '-f', 'lavfi', '-i', 'sine=frequency=440:sample_rate=44100',
    '-t', String(seconds),
    // yuv420p: testsrc is RGB, and x264 would otherwise pick a 4:4:4 profile browsers cannot decode.
    '-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-pix_fmt', 'yuv420p', '-g', '15',
    '-c:a', 'aac', '-b:a', '64k',
    '-f', 'flv', `${RTMP}/${key}`,
  ];
  const child = spawn('ffmpeg', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  children.add(child);
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const done = new Promise((resolve) =>
    child.on('exit', (code, signal) => {
      children.delete(child);
      resolve({ code, signal, stderr });
    }),
  );
  return { child, done };
}

const room = async (id) => (await apiInPage(seller.page, 'GET', `/live/rooms/${id}`)).json;

before(async () => {
  if (!RTMP) throw new Error('nginx with nginx-rtmp was not started by scripts/e2e.sh (run make deps)');
  browser = await launch();
  seller = await phonePage(browser);
  await registerThroughUi(seller.page, { login: uniqueLogin('livehost'), password: 'live host password', displayName: '主播' });
  state.shop = (await verifiedShop(browser, seller.page, '直播测试合作社')).id;
  const product = await apiInPage(seller.page, 'POST', `/shops/${state.shop}/products`, {
    title: '直播测试 精河枸杞 500g',
    description: '',
    category_id: '111',
    origin_region_code: '652722',
    skus: [{ spec: '500克', price_fen: 3980, stock: 20, weight_g: 520 }],
  });
  assert.equal(product.status, 201, JSON.stringify(product.json));
  state.product = product.json.id;
});

after(async () => {
  for (const c of children) c.kill('SIGKILL');
  await browser?.close();
});

test('a wrong key is refused by nginx through goji and the room stays scheduled', async () => {
  const created = await apiInPage(seller.page, 'POST', '/live/rooms', {
    shop_id: state.shop,
    title: '错误密钥测试',
    scheduled_at: new Date(Date.now() + 3600_000).toISOString(),
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  state.other = created.json;
  const { done } = push(`${created.json.stream_key}x`, 5);
  const result = await done;
  assert.notEqual(result.code, 0, 'ffmpeg published with a wrong key');
  assert.equal((await room(created.json.id)).status, 'scheduled');
});

test('ffmpeg pushes with the key, the room turns live and Chromium plays it', { timeout: 180_000 }, async () => {
  const created = await apiInPage(seller.page, 'POST', '/live/rooms', {
    shop_id: state.shop,
    title: '精河枸杞 直播测试',
    scheduled_at: new Date(Date.now() + 600_000).toISOString(),
  });
  assert.equal(created.status, 201, JSON.stringify(created.json));
  const { id, stream_key: key, hls_url: hls } = created.json;
  state.id = id;
  state.key = key;
  assert.ok(!hls.includes(key), 'the HLS address carries the key');
  const pinned = await apiInPage(seller.page, 'POST', `/live/rooms/${id}/pin`, { product_id: state.product });
  assert.equal(pinned.status, 200, JSON.stringify(pinned.json));

  const pushing = push(key, 40);
  await until('the room to turn live', async () => (await room(id)).status === 'live', 20_000);
  await until('the HLS playlist', async () => (await fetch(hls).catch(() => null))?.ok, 30_000);

  // A viewer (not logged in) opens the room page.
  const viewer = await phonePage(browser);
  await viewer.page.goto(`/live/${id}`);
  await viewer.page.waitForSelector('#live-video');
  const t0 = await until(
    'the video to play',
    async () => {
      const t = await viewer.page.$eval('#live-video', (v) => v.currentTime);
      return t > 0.5 ? t : null;
    },
    45_000,
    500,
  );
  await sleep(3000);
  const t1 = await viewer.page.$eval('#live-video', (v) => v.currentTime);
  assert.ok(t1 > t0 + 1, `currentTime went from ${t0} to ${t1} in 3 s`);
  const size = await viewer.page.$eval('#live-video', (v) => [v.videoWidth, v.videoHeight]);
  assert.deepEqual(size, [320, 240]);
  // The pinned product with its buy button, and the room channel, connected.
  await viewer.page.waitForSelector('#live-pinned #live-buy:not([disabled])');
  assert.match(await viewer.page.textContent('#live-pinned-link'), /直播测试 精河枸杞/);
  await viewer.page.waitForSelector('#live-channel[data-slot="room-channel"][data-conn="open"]');
  assert.equal(viewer.errors.length, 0, viewer.errors.map(String).join('\n'));

  // The push stops: the room ends — the open page turns to the replays by the channel's
  // `status` event (a live room's page is not polled) — and its recording becomes a replay.
  pushing.child.kill('SIGINT');
  await pushing.done;
  await until('the room to end', async () => (await room(id)).status === 'ended', 20_000);
  await viewer.page.waitForSelector('#live-room[data-status="ended"] #live-replays', { timeout: 10_000 });
  assert.equal(await viewer.page.$('#live-video'), null, 'the player is gone');
  assert.equal(await viewer.page.$('#live-channel'), null, 'the channel is closed');
  await viewer.context.close();
  const replay = await until('the replay', async () => (await room(id)).replays[0], 60_000, 500);
  const file = await fetch(replay.url);
  assert.equal(file.status, 200);
  assert.equal(file.headers.get('content-type'), 'video/mp4');
  assert.ok((await file.arrayBuffer()).byteLength > 10_000);
  assert.ok(!replay.url.includes(key));
});

test('the stream key is in no log and no file name', async () => {
  assert.ok(state.key, 'the live test ran first');
  const names = [];
  const walk = (dir) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      names.push(e.name);
      if (e.isDirectory()) walk(join(dir, e.name));
    }
  };
  walk(LIVE_DIR);
  for (const name of names) assert.ok(!name.includes(state.key), `file ${name} carries the key`);
  assert.ok(LOGS.length >= 3, 'scripts/e2e.sh names the log files');
  for (const log of LOGS.filter((f) => existsSync(f))) {
    const text = readFileSync(log, 'utf8');
    for (const key of [state.key, state.other.stream_key]) {
      assert.ok(!text.includes(key), `${log} contains a stream key`);
    }
  }
});
