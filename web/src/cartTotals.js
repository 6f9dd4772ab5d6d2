// Cart sums in integer fen: per shop and in all, over the lines a buyer can
// actually buy. Plain JavaScript with JSDoc types so that Node's test runner
// can import it without a build (tests/e2e/cart.test.mjs).

/**
 * @typedef {object} TotalLine
 * @property {string} shop_id
 * @property {number} price_fen an integer
 * @property {number} quantity an integer
 * @property {number} stock
 * @property {boolean} available
 */

/**
 * Whether a line counts toward the totals: on sale and in stock.
 * @param {TotalLine} line
 * @returns {boolean}
 */
export function isBuyable(line) {
  return line.available && line.stock > 0;
}

/**
 * A line's amount. BigInt, so that no sum of many large prices ever leaves
 * the integers exactly representable.
 * @param {TotalLine} line
 * @returns {bigint}
 */
export function lineFen(line) {
  return BigInt(line.price_fen) * BigInt(line.quantity);
}

/**
 * @typedef {object} ShopTotal
 * @property {bigint} fen
 * @property {number} pieces how many items (sum of quantities)
 */

/**
 * Subtotals per shop and the grand total, counting buyable lines only.
 * @param {TotalLine[]} lines
 * @returns {{ shops: Map<string, ShopTotal>, fen: bigint, pieces: number }}
 */
export function cartTotals(lines) {
  /** @type {Map<string, ShopTotal>} */
  const shops = new Map();
  let fen = 0n;
  let pieces = 0;
  for (const line of lines) {
    const shop = shops.get(line.shop_id) ?? { fen: 0n, pieces: 0 };
    shops.set(line.shop_id, shop);
    if (!isBuyable(line)) continue;
    const amount = lineFen(line);
    shop.fen += amount;
    shop.pieces += line.quantity;
    fen += amount;
    pieces += line.quantity;
  }
  return { shops, fen, pieces };
}

/**
 * Lines grouped by shop, shops in the order their first line was added.
 * @template {{ shop_id: string }} L
 * @param {L[]} lines
 * @returns {{ shop_id: string, lines: L[] }[]}
 */
export function groupByShop(lines) {
  /** @type {Map<string, L[]>} */
  const groups = new Map();
  for (const line of lines) {
    const group = groups.get(line.shop_id);
    if (group) group.push(line);
    else groups.set(line.shop_id, [line]);
  }
  return [...groups].map(([shop_id, ls]) => ({ shop_id, lines: ls }));
}
