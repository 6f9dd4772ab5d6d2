// Pieces of an order shared by the checkout result, the order list and the
// order page: the status badge, the lines, the sums and the unpaid notice.
import type { Order, OrderStatus } from '../api/types';
import { Link } from '../router';
import { dateTime, money, num, t } from '../i18n';
import { orderStatusLabel } from './labels';

export function StatusBadge({ status }: { status: OrderStatus }) {
  return (
    <span class={`badge order-status order-status-${status}`} data-status={status}>
      {orderStatusLabel(status)}
    </span>
  );
}

export function OrderLines({ order }: { order: Order }) {
  return (
    <ul class="order-lines">
      {order.items.map((item) => (
        <li class="order-line" key={item.sku_id} data-sku-id={item.sku_id}>
          <span class="order-line-name" dir="auto">
            {item.title}
            {item.spec && <span class="muted"> ({item.spec})</span>}
          </span>
          <span class="order-line-figures" dir="ltr">
            {money(item.unit_price_fen)} × {num(item.quantity)}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** Goods, shipping, discount and total, as the server computed them. */
export function OrderSums({ order, idPrefix }: { order: Order; idPrefix: string }) {
  return (
    <dl class="order-sums">
      <dt>{t('orders.goods')}</dt>
      <dd id={`${idPrefix}-goods`} data-fen={order.goods_fen}>
        {money(order.goods_fen)}
      </dd>
      <dt>{t('orders.shipping')}</dt>
      <dd id={`${idPrefix}-shipping`} data-fen={order.shipping_fen}>
        {money(order.shipping_fen)}
      </dd>
      {order.discount_fen > 0 && (
        <>
          <dt>{t('orders.discount')}</dt>
          <dd id={`${idPrefix}-discount`} data-fen={order.discount_fen}>
            -{money(order.discount_fen)}
          </dd>
        </>
      )}
      <dt class="order-sums-total">{t('orders.total')}</dt>
      <dd class="order-sums-total" id={`${idPrefix}-total`} data-fen={order.total_fen}>
        {money(order.total_fen)}
      </dd>
    </dl>
  );
}

/** An unpaid order: when it lapses, and the way to its payment. */
export function AwaitingPayment({ order }: { order: Order }) {
  if (order.status !== 'pending_payment') return null;
  return (
    <p class="order-awaiting muted">
      {t('orders.expiresAt', { time: dateTime(order.expires_at) })}{' '}
      <Link href={`/pay/${encodeURIComponent(order.payment_id)}`} class="order-pay-link">
        {t('orders.payNow')}
      </Link>
    </p>
  );
}
