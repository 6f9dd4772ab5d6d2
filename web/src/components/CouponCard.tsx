// A coupon as a card: its title and code, what it takes off from what spend,
// when it runs, the shop or the platform that gives it and, for its shop,
// how many were claimed and used.
import type { ComponentChildren } from 'preact';
import type { Coupon } from '../api/types';
import { dateTime, money, num, t } from '../i18n';

/** What a coupon takes off, in words. */
export function couponValue(c: Coupon): string {
  if (c.kind === 'percent') {
    const off = t('coupons.percentOff', { n: num(c.percent_off ?? 0) });
    return c.max_discount_fen ? `${off} ${t('coupons.capped', { amount: money(c.max_discount_fen) })}` : off;
  }
  return t('coupons.amountOff', { amount: money(c.amount_fen ?? 0) });
}

/** "From ¥99.00" or "no minimum". */
export function couponThreshold(c: Coupon): string {
  return c.min_spend_fen > 0 ? t('coupons.minSpend', { amount: money(c.min_spend_fen) }) : t('coupons.noMinimum');
}

/** `children` adds lines for the viewer, e.g. the state of a buyer's claim. */
export function CouponCard({ coupon, children, status }: { coupon: Coupon; children?: ComponentChildren; status?: string }) {
  return (
    <li class="card coupon" data-code={coupon.code} data-status={status}>
      <p class="order-head">
        <span class="order-shop" dir="auto">
          {coupon.title}
        </span>
        <code class="coupon-code" dir="ltr">
          {coupon.code}
        </code>
      </p>
      {coupon.shop_name ? (
        <p class="muted" dir="auto">
          {coupon.shop_name}
        </p>
      ) : (
        coupon.shop_id === null && <p class="muted">{t('coupons.platform')}</p>
      )}
      <p>
        <strong class="coupon-value">{couponValue(coupon)}</strong> · {couponThreshold(coupon)}
      </p>
      <p class="muted">
        {t('coupons.runs', { from: dateTime(coupon.starts_at), to: dateTime(coupon.ends_at) })}
      </p>
      {coupon.issued_count !== undefined && coupon.total_count !== undefined && (
        <p class="muted">
          {t('coupons.counts', {
            claimed: num(coupon.issued_count),
            used: num(coupon.used_count ?? 0),
            total: num(coupon.total_count),
          })}
        </p>
      )}
      {children}
    </li>
  );
}
