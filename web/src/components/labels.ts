// Catalogue keys for values the server sends as codes.
import type { CouponKind, OrderStatus, RefundStatus, ShopKind, ShopStatus } from '../api/types';
import { t, type MessageKey } from '../i18n';

export const SHOP_KIND_KEYS: Record<ShopKind, MessageKey> = {
  farmer: 'shopKind.farmer',
  cooperative: 'shopKind.cooperative',
  company: 'shopKind.company',
  wholesaler: 'shopKind.wholesaler',
};

export const SHOP_STATUS_KEYS: Record<ShopStatus, MessageKey> = {
  pending: 'shopStatus.pending',
  verified: 'shopStatus.verified',
  rejected: 'shopStatus.rejected',
};

export const SORT_KEYS: Record<string, MessageKey> = {
  relevance: 'sort.relevance',
  sales: 'sort.sales',
  price_asc: 'sort.price_asc',
  price_desc: 'sort.price_desc',
  new: 'sort.new',
};

export function shopKindLabel(kind: string): string {
  const key = SHOP_KIND_KEYS[kind as ShopKind];
  return key ? t(key) : kind;
}

export function shopStatusLabel(status: string): string {
  const key = SHOP_STATUS_KEYS[status as ShopStatus];
  return key ? t(key) : status;
}

export const ORDER_STATUS_KEYS: Record<OrderStatus, MessageKey> = {
  pending_payment: 'orderStatus.pending_payment',
  paid: 'orderStatus.paid',
  shipped: 'orderStatus.shipped',
  delivered: 'orderStatus.delivered',
  completed: 'orderStatus.completed',
  cancelled: 'orderStatus.cancelled',
  refunding: 'orderStatus.refunding',
  refunded: 'orderStatus.refunded',
};

export function orderStatusLabel(status: string): string {
  const key = ORDER_STATUS_KEYS[status as OrderStatus];
  return key ? t(key) : status;
}

export const REFUND_STATUS_KEYS: Record<RefundStatus, MessageKey> = {
  requested: 'refundStatus.requested',
  approved: 'refundStatus.approved',
  refused: 'refundStatus.refused',
};

export function refundStatusLabel(status: string): string {
  const key = REFUND_STATUS_KEYS[status as RefundStatus];
  return key ? t(key) : status;
}

/** Couriers the ship form offers, stored by these codes; other names are stored as typed. */
export const CARRIER_KEYS: Record<string, MessageKey> = {
  SF: 'carrier.SF',
  EMS: 'carrier.EMS',
  ZTO: 'carrier.ZTO',
  YTO: 'carrier.YTO',
  STO: 'carrier.STO',
  YUNDA: 'carrier.YUNDA',
  JD: 'carrier.JD',
  JT: 'carrier.JT',
};

export function carrierLabel(carrier: string): string {
  const key = CARRIER_KEYS[carrier.toUpperCase()];
  return key ? t(key) : carrier;
}

export const COUPON_KIND_KEYS: Record<CouponKind, MessageKey> = {
  fixed: 'couponKind.fixed',
  percent: 'couponKind.percent',
};

/** Why a row of a shipment import failed, from its code ("not_found", "tracking_no:invalid", …). */
export function shipmentRowProblem(code: string | null): string {
  if (!code) return '';
  const field = code.includes(':') ? code.slice(0, code.indexOf(':')) : '';
  if (code === 'not_found') return t('shipments.rowNotFound');
  if (code === 'bad_state') return t('shipments.rowBadState');
  if (field === 'order_id') return t('shipments.rowOrderId');
  if (field === 'carrier') return t('shipments.rowCarrier');
  if (field === 'tracking_no') return t('shipments.rowTrackingNo');
  return t('shipments.rowOther', { code });
}
