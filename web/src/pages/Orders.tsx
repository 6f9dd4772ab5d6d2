// The buyer's orders, newest first: status chips (kept in the address as
// ?status=), "load more" by cursor, and per order the shop, a summary of the
// items, the parcel once shipped, the total, the status and when it was
// placed.
import { useEffect, useRef, useState } from 'preact/hooks';
import { myOrders, ORDER_STATUSES } from '../api/orders';
import type { Order, OrderStatus } from '../api/types';
import { carrierLabel, orderStatusLabel } from '../components/labels';
import { StatusBadge } from '../components/OrderParts';
import { ProblemAlert } from '../components/ProblemAlert';
import { dateTime, money, num, t } from '../i18n';
import { Link, navigate } from '../router';
import type { PageProps } from '../routes';

function summary(order: Order): string {
  const first = order.items[0];
  if (!first) return '';
  const pieces = order.items.reduce((n, i) => n + i.quantity, 0);
  const name = first.spec ? `${first.title} (${first.spec})` : first.title;
  return order.items.length > 1
    ? t('orders.summaryMore', { name, more: num(order.items.length - 1), n: num(pieces) })
    : t('orders.summaryOne', { name, n: num(pieces) });
}

function OrderRow({ order }: { order: Order }) {
  const idp = `order-${order.id}`;
  return (
    <li class="card order-card" data-order-id={order.id} data-status={order.status} aria-labelledby={`${idp}-shop`}>
      <p class="order-head">
        <Link href={`/orders/${encodeURIComponent(order.id)}`} class="order-shop" id={`${idp}-shop`} dir="auto">
          {order.shop_name}
        </Link>
        <StatusBadge status={order.status} />
      </p>
      <p class="order-summary" dir="auto">
        {summary(order)}
      </p>
      {order.status === 'shipped' && order.tracking_no && (
        <p class="muted order-parcel">
          {carrierLabel(order.carrier ?? '')} <code dir="ltr">{order.tracking_no}</code>
        </p>
      )}
      <p class="order-foot">
        <span class="muted">{dateTime(order.created_at)}</span>
        <span class="order-total" data-fen={order.total_fen}>
          <span class="visually-hidden">{t('orders.total')} </span>
          {money(order.total_fen)}
        </span>
      </p>
    </li>
  );
}

export default function Orders({ query }: PageProps) {
  const raw = query.get('status');
  const status = ORDER_STATUSES.includes(raw as OrderStatus) ? (raw as OrderStatus) : null;
  const [items, setItems] = useState<Order[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  const load = async (from: string | null) => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await myOrders(status, from);
      if (gen !== generation.current) return;
      setItems((have) => (from && have ? [...have, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      if (gen === generation.current) setError(e);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    setItems(null);
    setCursor(null);
    void load(null);
  }, [status]);

  const filter = (s: OrderStatus | null) =>
    navigate(s ? `/orders?status=${encodeURIComponent(s)}` : '/orders', { replace: true });

  return (
    <div class="page page-narrow orders-page">
      <h1>{t('orders.title')}</h1>
      <nav aria-label={t('orders.filter')}>
        <ul class="chip-strip" id="order-filter">
          <li>
            <button type="button" class="chip chip-toggle" aria-pressed={status === null} onClick={() => filter(null)}>
              {t('orders.all')}
            </button>
          </li>
          {ORDER_STATUSES.map((s) => (
            <li key={s}>
              <button
                type="button"
                class="chip chip-toggle"
                data-status={s}
                aria-pressed={status === s}
                onClick={() => filter(s)}
              >
                {orderStatusLabel(s)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <ProblemAlert error={error} id="orders-error" />
      {items === null ? (
        error ? (
          <button type="button" class="button" onClick={() => void load(null)}>
            {t('common.retry')}
          </button>
        ) : (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        )
      ) : !items.length ? (
        <div class="card cart-empty" id="orders-empty">
          <p>{status ? t('orders.noneWithStatus') : t('orders.none')}</p>
          <Link href="/" class="button">
            {t('cart.goShopping')}
          </Link>
        </div>
      ) : (
        <>
          <ul class="order-list" id="order-list">
            {items.map((o) => (
              <OrderRow key={o.id} order={o} />
            ))}
          </ul>
          {cursor && (
            <button
              type="button"
              class="button button-secondary"
              id="orders-more"
              disabled={loading}
              aria-busy={loading}
              onClick={() => void load(cursor)}
            >
              {loading ? t('common.loading') : t('orders.more')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
