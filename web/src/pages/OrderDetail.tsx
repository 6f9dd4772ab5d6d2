// One order of the buyer's: the items, the sums, where it goes, when an
// unpaid one lapses, its timeline, and cancelling an unpaid one with a
// confirm step in place.
import { useState } from 'preact/hooks';
import { cancelOrder, order as fetchOrder } from '../api/orders';
import type { Order } from '../api/types';
import { orderStatusLabel } from '../components/labels';
import { AwaitingPayment, OrderLines, OrderSums, StatusBadge } from '../components/OrderParts';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { RegionPath } from '../components/ShopCard';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { dateTime, t } from '../i18n';
import { Link } from '../router';
import type { PageProps } from '../routes';

function Timeline({ order }: { order: Order }) {
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

function CancelOrder({ order, onCancelled }: { order: Order; onCancelled: (o: Order) => void }) {
  const [confirming, setConfirming] = useState(false);
  const action = useSubmit([]);
  const cancel = async () => {
    const done = await action.run(() => cancelOrder(order.id));
    if (done) {
      setConfirming(false);
      onCancelled(done);
    }
  };
  return (
    <>
      <ProblemAlert error={action.error} id="order-cancel-error" />
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="order-cancel-question">
          <p id="order-cancel-question">{t('orders.cancelQuestion')}</p>
          <div class="actions">
            <button
              type="button"
              class="button button-danger button-small"
              id="order-cancel-confirm"
              disabled={action.busy}
              aria-busy={action.busy}
              onClick={() => void cancel()}
            >
              {action.busy ? t('common.working') : t('orders.confirmCancel')}
            </button>
            <button
              type="button"
              class="button button-secondary button-small"
              id="order-cancel-keep"
              onClick={() => setConfirming(false)}
            >
              {t('orders.keep')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="button button-secondary"
            id="order-cancel"
            onClick={() => setConfirming(true)}
          >
            {t('orders.cancel')}
          </button>
        </div>
      )}
    </>
  );
}

export default function OrderDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const data = useAsync(() => fetchOrder(id), [id]);
  const [cancelled, setCancelled] = useState(false);
  const o = data.data;
  return (
    <div class="page page-narrow order-page">
      <h1 id="order-heading" tabIndex={-1}>
        {t('orders.detailTitle')}
      </h1>
      <StatusMessage text={cancelled ? t('orders.cancelled') : null} />
      <ProblemAlert error={data.error} id="order-error" />
      {data.error && !o ? (
        <button type="button" class="button" onClick={data.reload}>
          {t('common.retry')}
        </button>
      ) : !o ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <>
          <section class="card" aria-labelledby="order-shop" id="order" data-order-id={o.id} data-status={o.status}>
            <h2 class="order-head">
              <Link href={`/shop/${encodeURIComponent(o.shop_id)}`} id="order-shop" dir="auto">
                {o.shop_name}
              </Link>
            </h2>
            <p>
              <span class="visually-hidden">{t('orders.status')} </span>
              <span id="order-status">
                <StatusBadge status={o.status} />
              </span>{' '}
              <span class="muted">{t('orders.placedAt', { time: dateTime(o.created_at) })}</span>
            </p>
            <AwaitingPayment order={o} />
            <OrderLines order={o} />
            <OrderSums order={o} idPrefix="order" />
            {o.status === 'pending_payment' && (
              <CancelOrder
                order={o}
                onCancelled={(done) => {
                  data.set(done);
                  setCancelled(true);
                  document.getElementById('order-heading')?.focus();
                }}
              />
            )}
          </section>
          <section class="card" aria-labelledby="order-ship-title">
            <h2 id="order-ship-title">{t('orders.shipTo')}</h2>
            <p class="address-who">
              <span class="address-name" dir="auto">
                {o.ship_to.name}
              </span>{' '}
              <span class="address-phone" dir="ltr">
                {o.ship_to.phone}
              </span>
            </p>
            <p class="address-region">
              <RegionPath code={o.ship_to.region_code} />
            </p>
            <p class="address-detail" dir="auto">
              {o.ship_to.detail}
            </p>
          </section>
          <Timeline order={o} />
          <Link href="/orders" id="order-back">
            {t('orders.back')}
          </Link>
        </>
      )}
    </div>
  );
}
