// Pieces of an order shared by the checkout result, the order lists and the
// buyer's and the seller's order pages: the status badge, the lines, the
// sums, the unpaid notice, the address, the parcel, the history, the refunds
// and the reviews.
import type { Order, OrderStatus, Refund, Review } from '../api/types';
import { Link } from '../router';
import { dateTime, money, num, t } from '../i18n';
import { carrierLabel, orderStatusLabel, refundStatusLabel } from './labels';
import { RegionPath } from './ShopCard';
import { Stars } from './Stars';

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

/** Where the order goes, as copied at checkout. */
export function ShipTo({ order }: { order: Order }) {
  return (
    <section class="card" aria-labelledby="order-ship-title" id="order-ship-to">
      <h2 id="order-ship-title">{t('orders.shipTo')}</h2>
      <p class="address-who">
        <span class="address-name" dir="auto">
          {order.ship_to.name}
        </span>{' '}
        <span class="address-phone" dir="ltr">
          {order.ship_to.phone}
        </span>
      </p>
      <p class="address-region">
        <RegionPath code={order.ship_to.region_code} />
      </p>
      <p class="address-detail" dir="auto">
        {order.ship_to.detail}
      </p>
    </section>
  );
}

/** The parcel: carrier, tracking number and when it left and arrived. Nothing before shipping. */
export function Parcel({ order }: { order: Order }) {
  if (!order.tracking_no) return null;
  return (
    <section class="card" aria-labelledby="order-parcel-title" id="order-parcel">
      <h2 id="order-parcel-title">{t('parcel.title')}</h2>
      <dl class="facts">
        <div>
          <dt>{t('parcel.carrier')}</dt>
          <dd id="order-carrier" dir="auto" data-carrier={order.carrier}>
            {carrierLabel(order.carrier ?? '')}
          </dd>
        </div>
        <div>
          <dt>{t('parcel.trackingNo')}</dt>
          <dd>
            <code id="order-tracking-no" dir="ltr">
              {order.tracking_no}
            </code>
          </dd>
        </div>
        {order.shipped_at && (
          <div>
            <dt>{t('parcel.shippedAt')}</dt>
            <dd>
              <time dateTime={order.shipped_at}>{dateTime(order.shipped_at)}</time>
            </dd>
          </div>
        )}
        {order.delivered_at && (
          <div>
            <dt>{t('parcel.deliveredAt')}</dt>
            <dd>
              <time dateTime={order.delivered_at}>{dateTime(order.delivered_at)}</time>
            </dd>
          </div>
        )}
      </dl>
    </section>
  );
}

/** Every change of the order's status, oldest first, with its note. */
export function Timeline({ order }: { order: Order }) {
  return (
    <section class="card" aria-labelledby="order-timeline-title">
      <h2 id="order-timeline-title">{t('orders.timeline')}</h2>
      <ol class="order-timeline" id="order-timeline">
        {order.timeline.map((c, i) => (
          <li key={i} data-to={c.to}>
            <span class="order-timeline-what">
              {c.from
                ? t('orders.changed', { from: orderStatusLabel(c.from), to: orderStatusLabel(c.to) })
                : t('orders.created')}
            </span>{' '}
            <time class="muted" dateTime={c.at}>
              {dateTime(c.at)}
            </time>
            {c.note && (
              <span class="order-timeline-note muted" dir="auto">
                {' '}
                {c.note}
              </span>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}

/** One refund: amount, status, reason, the seller's note and what happened to the units. */
export function RefundItem({ refund }: { refund: Refund }) {
  return (
    <li class="refund" data-refund-id={refund.id} data-status={refund.status}>
      <p class="refund-head">
        <span class="refund-amount" data-fen={refund.amount_fen}>
          {money(refund.amount_fen)}
        </span>
        <span class={`badge refund-status refund-status-${refund.status}`}>{refundStatusLabel(refund.status)}</span>
      </p>
      <p class="refund-reason">
        <span class="batch-label">{t('refunds.reason')}</span> <span dir="auto">{refund.reason}</span>
      </p>
      {refund.note && (
        <p class="refund-note">
          <span class="batch-label">{t('refunds.sellerNote')}</span> <span dir="auto">{refund.note}</span>
        </p>
      )}
      <p class="muted refund-meta">
        {t('refunds.askedAt', { time: dateTime(refund.created_at) })}
        {refund.decided_at && <> · {t('refunds.decidedAt', { time: dateTime(refund.decided_at) })}</>}
        {refund.automatic && <> · {t('refunds.automatic')}</>}
        {refund.restocked && <> · {t('refunds.restocked')}</>}
      </p>
    </li>
  );
}

export function RefundList({ refunds }: { refunds: Refund[] }) {
  if (!refunds.length) return null;
  return (
    <ul class="refund-list" id="order-refunds">
      {refunds.map((r) => (
        <RefundItem key={r.id} refund={r} />
      ))}
    </ul>
  );
}

/** Reviews given on the order (or of a product), with stars, spec, text and date. */
export function ReviewList({ reviews, id }: { reviews: Review[]; id: string }) {
  return (
    <ul class="review-list" id={id}>
      {reviews.map((r, i) => (
        <li class="review" key={r.id ?? `${r.sku_id ?? ''}-${i}`} data-sku-id={r.sku_id} data-rating={r.rating}>
          <p class="review-head">
            <span class="review-buyer" dir="auto">
              {r.buyer}
            </span>
            <Stars rating={r.rating} />
          </p>
          {r.spec && (
            <p class="review-spec muted" dir="auto">
              {r.spec}
            </p>
          )}
          {r.text && (
            <p class="review-text" dir="auto">
              {r.text}
            </p>
          )}
          <p class="muted review-date">
            <time dateTime={r.created_at}>{dateTime(r.created_at)}</time>
          </p>
        </li>
      ))}
    </ul>
  );
}
