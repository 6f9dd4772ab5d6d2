// Money, numbers and dates as the app shows them (web/src/i18n/format.js).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDate, formatDateTime, formatFen, formatNumber } from '../../web/src/i18n/format.js';

test('formatFen shows integer fen as yuan with two decimals', () => {
  assert.equal(formatFen(1280), '¥12.80');
  assert.equal(formatFen(0), '¥0.00');
  assert.equal(formatFen(5), '¥0.05');
  assert.equal(formatFen(100), '¥1.00');
  assert.equal(formatFen(-1280), '-¥12.80');
  assert.equal(formatFen(123456789), '¥1,234,567.89');
  assert.equal(formatFen('1999'), '¥19.99');
  assert.equal(formatFen(9007199254740993n), '¥90,071,992,547,409.93');
  for (const lang of ['zh-CN', 'ug', 'en']) assert.equal(formatFen(1280, lang), '¥12.80');
  assert.throws(() => formatFen(12.5), RangeError);
});

test('numbers and dates are localised, dates in Asia/Shanghai', () => {
  assert.equal(formatNumber(6490000000, 'en'), '6,490,000,000');
  assert.equal(formatNumber(25.46, 'zh-CN', { maximumFractionDigits: 2 }), '25.46');
  // 2026-03-31T20:00Z is already April 1st in the county.
  assert.match(formatDate('2026-03-31T20:00:00Z', 'zh-CN'), /2026年4月1日/);
  assert.match(formatDate('2026-03-31T20:00:00Z', 'en'), /1 Apr 2026/);
  assert.match(formatDateTime('2026-03-31T20:00:00+00:00', 'en'), /04:00/);
  assert.equal(formatDate('not a date', 'en'), '');
  assert.ok(formatDate(Date.UTC(2026, 0, 1), 'ug').length > 0);
});
