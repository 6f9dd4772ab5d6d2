// A visitor's cart, kept in this browser's localStorage until they log in:
// SKU and quantity, plus what the cart page shows of each line (title,
// picture, spec, price and shop as they were when added). After a login it
// moves into the account through POST /cart/merge (mergeGuestCart) and is
// cleared; prices and availability are the server's from then on.
import { signal } from '@preact/signals';
import { MAX_CART_LINES, MAX_QUANTITY, mergeCart } from '../api/cart';
import type { CartLine, CartMergeReply } from '../api/types';

const STORAGE_KEY = 'goji_guest_cart';
const VERSION = 1;

/** What is stored of a line: everything of a CartLine but `available`, which only the server knows. */
export type GuestLine = Omit<CartLine, 'available'>;

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v);
const isStr = (v: unknown): v is string => typeof v === 'string';

/** Keeps only well-formed lines: storage is the user's to edit. */
function clean(value: unknown): GuestLine[] {
  if (!value || typeof value !== 'object') return [];
  const items = (value as { v?: unknown; items?: unknown }).items;
  if ((value as { v?: unknown }).v !== VERSION || !Array.isArray(items)) return [];
  const out: GuestLine[] = [];
  const seen = new Set<string>();
  for (const raw of items as Record<string, unknown>[]) {
    if (!raw || typeof raw !== 'object') continue;
    const { sku_id, quantity, spec, price_fen, stock, weight_g } = raw;
    const { product_id, title, thumb_url, shop_id, shop_name } = raw;
    if (!isStr(sku_id) || !sku_id || seen.has(sku_id)) continue;
    if (!isInt(quantity) || quantity < 1 || quantity > MAX_QUANTITY) continue;
    if (!isInt(price_fen) || price_fen < 0 || !isInt(stock) || !isInt(weight_g)) continue;
    if (!isStr(spec) || !isStr(product_id) || !isStr(title) || !isStr(shop_id) || !isStr(shop_name)) continue;
    if (thumb_url !== null && !isStr(thumb_url)) continue;
    seen.add(sku_id);
    out.push({ sku_id, quantity, spec, price_fen, stock, weight_g, product_id, title, thumb_url, shop_id, shop_name });
    if (out.length >= MAX_CART_LINES) break;
  }
  return out;
}

function read(): GuestLine[] {
  try {
    const text = localStorage.getItem(STORAGE_KEY);
    return text ? clean(JSON.parse(text)) : [];
  } catch {
    // Storage disabled or the value is not JSON: an empty cart.
    return [];
  }
}

/** The visitor's lines, in the order added. */
export const guestCart = signal<GuestLine[]>(read());

function write(lines: GuestLine[]): void {
  guestCart.value = lines;
  try {
    if (lines.length) localStorage.setItem(STORAGE_KEY, JSON.stringify({ v: VERSION, items: lines }));
    else localStorage.removeItem(STORAGE_KEY);
  } catch {
    // Full or disabled storage: the cart lasts as long as this page.
  }
}

// Another tab of the same browser changed the cart.
window.addEventListener('storage', (e) => {
  if (e.key === STORAGE_KEY || e.key === null) guestCart.value = read();
});

/** As the cart page shows them: a visitor's lines count as available until the server says otherwise. */
export const asCartLines = (lines: GuestLine[]): CartLine[] => lines.map((l) => ({ ...l, available: true }));

export type GuestAddResult = { ok: true; line: GuestLine } | { ok: false; reason: 'full' | 'quantity' };

/**
 * Adds `quantity` of a SKU, like POST /cart/items does for a logged-in buyer:
 * at most MAX_QUANTITY on a line, at most MAX_CART_LINES lines. The shown
 * fields are refreshed from `sku` (the product page just loaded them).
 */
export function addToGuestCart(sku: Omit<GuestLine, 'quantity'>, quantity: number): GuestAddResult {
  const lines = read();
  const index = lines.findIndex((l) => l.sku_id === sku.sku_id);
  const have = index >= 0 ? lines[index]!.quantity : 0;
  const total = have + quantity;
  if (quantity < 1 || total > MAX_QUANTITY) return { ok: false, reason: 'quantity' };
  if (index < 0 && lines.length >= MAX_CART_LINES) return { ok: false, reason: 'full' };
  const line: GuestLine = { ...sku, quantity: total };
  const next = index >= 0 ? lines.map((l, i) => (i === index ? line : l)) : [...lines, line];
  write(next);
  return { ok: true, line };
}

export function setGuestQuantity(skuId: string, quantity: number): void {
  if (!Number.isSafeInteger(quantity) || quantity < 1 || quantity > MAX_QUANTITY) return;
  write(read().map((l) => (l.sku_id === skuId ? { ...l, quantity } : l)));
}

export function removeGuestLine(skuId: string): void {
  write(read().filter((l) => l.sku_id !== skuId));
}

export function clearGuestCart(): void {
  write([]);
}

let merging: Promise<CartMergeReply | null> | null = null;

/**
 * Moves the visitor's cart into the logged-in account and clears it here.
 * Lines the server rejects (gone from sale, a full cart) are dropped without
 * a word. Resolves to null when there was nothing to merge. A merge adds
 * quantities, so concurrent callers share the one request in flight; on
 * failure the lines stay for the next try (the cart page retries).
 */
export function mergeGuestCart(): Promise<CartMergeReply | null> {
  if (merging) return merging;
  const lines = read();
  if (!lines.length) return Promise.resolve(null);
  merging = mergeCart(lines.map((l) => ({ sku_id: l.sku_id, quantity: l.quantity })))
    .then((reply) => {
      clearGuestCart();
      return reply;
    })
    .finally(() => {
      merging = null;
    });
  return merging;
}
