// The refunds of a shop waiting for the seller's decision, newest first;
// each opens its order, where the seller approves or refuses it.
import { useEffect, useRef, useState } from 'preact/hooks';
import { shopRefunds } from '../../api/aftersale';
import type { Refund } from '../../api/types';
import { ProblemAlert } from '../../components/ProblemAlert';
import { SellerShopHead } from '../../components/SellerNav';
import { dateTime, money, t } from '../../i18n';
import { Link } from '../../router';
import type { PageProps } from '../../routes';

export default function SellerRefunds({ params }: PageProps) {
  const shopId = params.id ?? '';
  const [items, setItems] = useState<Refund[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  const load = async (from: string | null) => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await shopRefunds(shopId, 'requested', from);
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
    void load(null);
  }, [shopId]);

  return (
    <div class="page page-narrow seller-refunds" data-shop-id={shopId}>
      <SellerShopHead shopId={shopId} titleKey="sellerRefunds.title" />
      <p class="muted">{t('sellerRefunds.intro')}</p>
      <ProblemAlert error={error} id="seller-refunds-error" />
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
        <p class="card empty" id="seller-refunds-empty">
          {t('sellerRefunds.none')}
        </p>
      ) : (
        <>
          <ul class="order-list" id="refund-queue">
            {items.map((r) => (
              <li class="card order-card" key={r.id} data-refund-id={r.id} data-order-id={r.order_id}>
                <p class="order-head">
                  <Link href={`/seller/orders/${encodeURIComponent(r.order_id)}`} class="order-shop">
                    {t('sellerOrders.number', { id: r.order_id })}
                  </Link>
                  <span class="order-total" data-fen={r.amount_fen}>
                    {money(r.amount_fen)}
                  </span>
                </p>
                <p class="refund-reason">
                  <span class="batch-label">{t('refunds.reason')}</span> <span dir="auto">{r.reason}</span>
                </p>
                <p class="order-foot">
                  <span class="muted">{t('refunds.askedAt', { time: dateTime(r.created_at) })}</span>
                  <Link
                    href={`/seller/orders/${encodeURIComponent(r.order_id)}`}
                    class="button button-small"
                    aria-label={t('sellerRefunds.decideNamed', { id: r.order_id })}
                  >
                    {t('sellerRefunds.decide')}
                  </Link>
                </p>
              </li>
            ))}
          </ul>
          {cursor && (
            <button
              type="button"
              class="button button-secondary"
              id="seller-refunds-more"
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
