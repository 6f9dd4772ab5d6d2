// Catalogue keys for values the server sends as codes.
import type { ShopKind, ShopStatus } from '../api/types';
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
