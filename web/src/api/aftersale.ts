// After the payment (see the server's OpenAPI): the order with its refunds and
// reviews, shipping (one by one or a CSV of parcels), receipt, refunds and
// their decisions, reviews, and the seller's order list.
import { api } from './client';
import type {
  Order,
  OrderDetails,
  OrderStatus,
  Page,
  ProductReviews,
  Refund,
  RefundOutcome,
  Review,
  ShipmentImportReply,
} from './types';

const id = (value: string) => encodeURIComponent(value);

/** The order as its buyer or a member of its shop sees it. */
export const orderDetails = (orderId: string) => api.get<OrderDetails>(`/orders/${id(orderId)}`);

/** Orders per page of the seller's list. */
export const SELLER_ORDERS_PAGE = 20;

/** A shop's orders, newest first. */
export function shopOrders(shopId: string, status: OrderStatus | null, cursor: string | null): Promise<Page<Order>> {
  const q = new URLSearchParams({ as: 'seller', shop_id: shopId, limit: String(SELLER_ORDERS_PAGE) });
  if (status) q.set('status', status);
  if (cursor) q.set('cursor', cursor);
  return api.get<Page<Order>>(`/orders?${q}`);
}

/** The limits the server checks on a parcel; the form checks them first. */
export const MAX_CARRIER = 40;
export const TRACKING_NO = /^[A-Za-z0-9-]{4,40}$/;

/** Couriers offered in the ship form; any other name can be typed. */
export const CARRIERS = ['SF', 'EMS', 'ZTO', 'YTO', 'STO', 'YUNDA', 'JD', 'JT'] as const;

export const ship = (orderId: string, carrier: string, trackingNo: string) =>
  api.post<Order>(`/orders/${id(orderId)}/ship`, { carrier, tracking_no: trackingNo });

export const confirmReceipt = (orderId: string) => api.post<Order>(`/orders/${id(orderId)}/confirm-receipt`);

export const requestRefund = (idempotencyKey: string, orderId: string, amountFen: number, reason: string) =>
  api.post<RefundOutcome>(
    `/orders/${id(orderId)}/refunds`,
    { amount_fen: amountFen, reason },
    { 'Idempotency-Key': idempotencyKey },
  );

/** A shop's refunds, newest first; `status` "requested" is the queue waiting for a decision. */
export function shopRefunds(shopId: string, status: Refund['status'] | null, cursor: string | null) {
  const q = new URLSearchParams({ shop_id: shopId, limit: '50' });
  if (status) q.set('status', status);
  if (cursor) q.set('cursor', cursor);
  return api.get<Page<Refund>>(`/refunds?${q}`);
}

export const approveRefund = (refundId: string, restock: boolean) =>
  api.post<RefundOutcome>(`/refunds/${id(refundId)}/approve`, { restock });

export const refuseRefund = (refundId: string, reason: string) =>
  api.post<RefundOutcome>(`/refunds/${id(refundId)}/refuse`, { reason });

export const MAX_REVIEW_TEXT = 500;
export const MAX_REFUND_REASON = 500;

/** Reviews one item of a delivered order; answers all the order's reviews. */
export const addReview = (orderId: string, skuId: string, rating: number, text: string) =>
  api.post<{ reviews: Review[] }>(`/orders/${id(orderId)}/reviews`, { sku_id: skuId, rating, text });

export const REVIEWS_PAGE = 10;

/** A product's reviews, newest first, with their count and average (public). */
export function productReviews(productId: string, cursor: string | null): Promise<ProductReviews> {
  const q = new URLSearchParams({ limit: String(REVIEWS_PAGE) });
  if (cursor) q.set('cursor', cursor);
  return api.get<ProductReviews>(`/products/${id(productId)}/reviews?${q}`);
}

/** The header line the shipment import expects. */
export const SHIPMENT_HEADER = 'order_id,carrier,tracking_no';

/** Ships many orders from CSV text (header `order_id,carrier,tracking_no`), each row on its own. */
export const importShipments = (shopId: string, csv: string) =>
  api.postText<ShipmentImportReply>(`/shops/${id(shopId)}/shipments/import`, csv, 'text/csv; charset=utf-8');

/** One CSV field, quoted when it needs to be. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}
