// The logged-in buyer's cart (see the server's OpenAPI). A visitor's cart
// lives in the browser instead: state/guestCart.ts.
import { api } from './client';
import type { CartLine, CartMergeReply } from './types';

/** The most of one SKU a cart line holds (the server's limit). */
export const MAX_QUANTITY = 999;
/** The most lines a cart holds (the server's limit). */
export const MAX_CART_LINES = 100;

const id = (value: string) => encodeURIComponent(value);

export const cartItems = () => api.get<{ items: CartLine[] }>('/cart/items').then((r) => r.items);

/** Adds `quantity` to the SKU's line (a new line if there is none). */
export const addToCart = (skuId: string, quantity: number) =>
  api.post<CartLine>('/cart/items', { sku_id: skuId, quantity });

export const setCartQuantity = (skuId: string, quantity: number) =>
  api.patch<CartLine>(`/cart/items/${id(skuId)}`, { quantity });

export const removeFromCart = (skuId: string) => api.del<void>(`/cart/items/${id(skuId)}`);

/** Moves a visitor's cart into the account: quantities add up, capped at MAX_QUANTITY. */
export const mergeCart = (items: { sku_id: string; quantity: number }[]) =>
  api.post<CartMergeReply>('/cart/merge', { items });

/** The most a buyer may put on one line of a SKU with this much stock. */
export function maxQuantity(stock: number): number {
  return Math.max(0, Math.min(MAX_QUANTITY, Math.floor(stock)));
}
