// The built app as goji serve sends it: precompressed, hashed assets cached
// for good, app routes falling back to index.html, /api never.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { BASE_URL, ROOT } from './support.mjs';

const DIST = join(ROOT, 'web', 'dist');

test('index.html and every asset have .gz and .br twins, assets have hashed names', () => {
  const assets = readdirSync(join(DIST, 'assets')).filter((n) => !/\.(gz|br)$/.test(n));
  assert.ok(assets.some((n) => n.endsWith('.js')) && assets.some((n) => n.endsWith('.css')));
  for (const name of ['index.html', ...assets.map((n) => `assets/${n}`)]) {
    if (name.startsWith('assets/')) assert.match(name, /-[A-Za-z0-9_]{8,}\.\w+$/, `${name} has a hash`);
    for (const ext of ['gz', 'br']) {
      const files = readdirSync(join(DIST, name.startsWith('assets/') ? 'assets' : '.'));
      assert.ok(files.includes(`${name.split('/').pop()}.${ext}`), `${name}.${ext} exists`);
    }
  }
});

test('goji serve sends brotli, caches hashed assets for good and index.html never', async () => {
  const index = await fetch(`${BASE_URL}/`, { headers: { 'Accept-Encoding': 'br' } });
  assert.equal(index.status, 200);
  assert.equal(index.headers.get('content-encoding'), 'br');
  assert.equal(index.headers.get('cache-control'), 'no-cache');
  const html = await index.text();
  const script = html.match(/src="(\/assets\/[^"]+\.js)"/)?.[1];
  assert.ok(script, 'index.html loads a hashed script');

  const js = await fetch(BASE_URL + script, { headers: { 'Accept-Encoding': 'gzip, br' } });
  assert.equal(js.status, 200);
  assert.equal(js.headers.get('cache-control'), 'public, max-age=31536000, immutable');
  assert.match(js.headers.get('content-type'), /javascript/);
  const plain = readFileSync(join(DIST, script.slice(1)), 'utf8');
  assert.equal(await js.text(), plain);
});

test('app routes fall back to index.html; /api and missing files do not', async () => {
  for (const path of ['/account', '/regions', '/no/such/page']) {
    const r = await fetch(BASE_URL + path);
    assert.equal(r.status, 200, path);
    assert.match(await r.text(), /<div id="app">/, path);
  }
  const api = await fetch(`${BASE_URL}/api/v1/no-such-thing`);
  assert.equal(api.status, 404);
  assert.match(api.headers.get('content-type'), /problem\+json/);
  const missing = await fetch(`${BASE_URL}/assets/missing-0123456789.js`);
  assert.equal(missing.status, 404);
});
