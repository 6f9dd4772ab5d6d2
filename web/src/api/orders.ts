// Checkout and the buyer's orders (see the server's OpenAPI).
import { api } from './client';
import type { CheckoutReply, Order, OrderStatus, Page } from './types';

export const ORDER_STATUSES: readonly OrderStatus[] = [
  'pending_payment',
  'paid',
  'shipped',
  'delivered',
  'completed',
  'cancelled',
  'refunding',
  'refunded',
];

/** Orders per page of the list. */
export const ORDERS_PAGE = 20;

const id = (value: string) => encodeURIComponent(value);

/** A fresh key for one checkout attempt; a retry of the same attempt sends the same key. */
export function newIdempotencyKey(): string {
  if (typeof crypto.randomUUID === 'function') return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Places one order per shop; without `items`, for the cart's available lines.
 * `couponCodes` are sent only when there are some; `liveRoomId` marks an
 * order made from a live room's buy button.
 */
export function checkout(
  idempotencyKey: string,
  addressId: string,
  items?: { sku_id: string; quantity: number }[],
  couponCodes: string[] = [],
  liveRoomId: string | null = null,
) {
  const body: Record<string, unknown> = { address_id: addressId };
  if (items) body.items = items;
  if (couponCodes.length) body.coupon_codes = couponCodes;
  if (liveRoomId) body.live_room_id = liveRoomId;
  return api.post<CheckoutReply>('/checkout', body, { 'Idempotency-Key': idempotencyKey });
}

/** The buyer's orders, newest first. */
export function myOrders(status: OrderStatus | null, cursor: string | null): Promise<Page<Order>> {
  const q = new URLSearchParams({ as: 'buyer', limit: String(ORDERS_PAGE) });
  if (status) q.set('status', status);
  if (cursor) q.set('cursor', cursor);
  return api.get<Page<Order>>(`/orders?${q}`);
}

export const order = (orderId: string) => api.get<Order>(`/orders/${id(orderId)}`);

export const cancelOrder = (orderId: string) => api.post<Order>(`/orders/${id(orderId)}/cancel`);
