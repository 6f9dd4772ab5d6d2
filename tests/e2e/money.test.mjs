// Prices typed by sellers become integer fen by string handling alone
// (web/src/money.js): "59.80" is 5980, never 5979.999….
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { fenToYuanText, parseYuan } from '../../web/src/money.js';

test('parseYuan turns yuan text into exact integer fen', () => {
  assert.equal(parseYuan('59.80'), 5980);
  assert.equal(parseYuan('12.80'), 1280);
  assert.equal(parseYuan('0.29'), 29); // 0.29 * 100 is 28.999999999999996 in floating point
  assert.equal(parseYuan('1.15'), 115); // and 1.15 * 100 is 114.99999999999999
  assert.equal(parseYuan('59.8'), 5980);
  assert.equal(parseYuan('59'), 5900);
  assert.equal(parseYuan('59.'), 5900);
  assert.equal(parseYuan('.5'), 50);
  assert.equal(parseYuan('0.05'), 5);
  assert.equal(parseYuan(' 99.00 '), 9900);
  assert.equal(parseYuan('¥12.80'), 1280);
  assert.equal(parseYuan('￥７．５'), 750); // full-width, as Chinese input methods type
  assert.equal(parseYuan('1000000'), 100000000);
  assert.equal(parseYuan('0'), 0);
});

test('parseYuan refuses what is not a plain amount', () => {
  for (const bad of ['', ' ', '.', '12.345', '-1', '+1', '1e3', '12,80', '1,000', 'abc', '12.8元', '0x10', '1 2', 'NaN', 'Infinity']) {
    assert.equal(parseYuan(bad), null, JSON.stringify(bad));
  }
});

test('fenToYuanText is the inverse for edit boxes', () => {
  assert.equal(fenToYuanText(5980), '59.80');
  assert.equal(fenToYuanText(5), '0.05');
  assert.equal(fenToYuanText(0), '0.00');
  assert.equal(fenToYuanText(100000000), '1000000.00');
  assert.equal(fenToYuanText(-1), '');
  for (const fen of [1, 29, 115, 1280, 99999]) assert.equal(parseYuan(fenToYuanText(fen)), fen);
});
