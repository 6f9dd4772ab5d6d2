// Catalogue keys for values the server sends as codes.
import type { OrderStatus, ShopKind, ShopStatus } from '../api/types';
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
