// Prices at checkout (shipping fees and coupons): the preview of a checkout,
// a shop's shipping template and coupons, and the buyer's coupons (see the
// server's OpenAPI).
import { api } from './client';
import type { CheckoutPreview, Coupon, CouponClaim, Page, ShippingTemplate } from './types';

const id = (value: string) => encodeURIComponent(value);

export interface CheckoutBody {
  address_id: string;
  items?: { sku_id: string; quantity: number }[];
  coupon_codes?: string[];
}

/** What a checkout with this body would cost, per shop, without placing it. */
export const checkoutPreview = (body: CheckoutBody) => api.post<CheckoutPreview>('/checkout/preview', body);

/** Coupon codes as people type them: trimmed, upper case. */
export function normaliseCode(text: string): string {
  return text.trim().toUpperCase();
}

export const MAX_COUPON_CODES = 10;
export const MAX_COUPON_CODE = 32;

export const shippingTemplate = (shopId: string) => api.get<ShippingTemplate>(`/shops/${id(shopId)}/shipping`);

export const saveShippingTemplate = (shopId: string, template: ShippingTemplate) =>
  api.put<ShippingTemplate>(`/shops/${id(shopId)}/shipping`, template);

export const shopCoupons = (shopId: string) => api.get<Page<Coupon>>(`/shops/${id(shopId)}/coupons?limit=100`);

export type NewCoupon = Omit<Coupon, 'id' | 'issued_count' | 'used_count' | 'shop_id' | 'shop_name' | 'code'> & {
  code?: string;
};

export const createCoupon = (shopId: string, coupon: NewCoupon) =>
  api.post<Coupon>(`/shops/${id(shopId)}/coupons`, coupon);

export const claimCoupon = (code: string) => api.post<CouponClaim>('/coupons/claim', { code });

/** The buyer's claimed coupons, newest first. */
export const myCoupons = () => api.get<Page<CouponClaim>>('/coupons/mine?limit=100');
