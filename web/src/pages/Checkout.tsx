// Checkout: the cart's buyable lines grouped by shop with the goods sums in
// integer fen, a choice of saved address (the default preselected), and
// "Place order", which makes one order per shop. The Idempotency-Key lives as
// long as one attempt: a retry after a lost answer sends the same key (the
// server replays its first reply), a changed address or a definite answer
// starts a new attempt. Placed orders are shown here with the way to pay.
import { useRef, useState } from 'preact/hooks';
import { addresses as fetchAddresses } from '../api/addresses';
import { cartItems } from '../api/cart';
import { ApiError } from '../api/client';
import { checkout, newIdempotencyKey } from '../api/orders';
import type { Address, CartLine, CheckoutReply } from '../api/types';
import { cartTotals, groupByShop, isBuyable } from '../cartTotals.js';
import { AwaitingPayment, OrderLines, OrderSums, StatusBadge } from '../components/OrderParts';
import { ProblemAlert } from '../components/ProblemAlert';
import { RegionPath } from '../components/ShopCard';
import { useAsync } from '../components/useAsync';
import { money, num, t } from '../i18n';
import { Link } from '../router';

/** Answers after which the same attempt cannot succeed: the next try is a new one. */
const isFinal = (e: unknown) => e instanceof ApiError && e.status >= 400 && e.status < 500;

function Lines({ lines }: { lines: CartLine[] }) {
  const totals = cartTotals(lines);
  return (
    <>
      {groupByShop(lines).map((group) => {
        const headingId = `checkout-shop-${group.shop_id}`;
        const shopTotal = totals.shops.get(group.shop_id)?.fen ?? 0n;
        return (
          <section class="card" key={group.shop_id} data-shop-id={group.shop_id} aria-labelledby={headingId}>
            <h2 id={headingId} class="cart-shop-name" dir="auto">
              {group.lines[0]!.shop_name || t('shop.title')}
            </h2>
            <ul class="order-lines">
              {group.lines.map((line) => (
                <li class="order-line" key={line.sku_id} data-sku-id={line.sku_id}>
                  <span class="order-line-name" dir="auto">
                    {line.title}
                    {line.spec && <span class="muted"> ({line.spec})</span>}
                  </span>
                  <span class="order-line-figures" dir="ltr">
                    {money(line.price_fen)} × {num(line.quantity)}
                  </span>
                </li>
              ))}
            </ul>
            <p class="cart-subtotal">
              <span>{t('cart.subtotal')}</span>
              <span class="cart-subtotal-amount" id={`checkout-subtotal-${group.shop_id}`} data-fen={String(shopTotal)}>
                {money(shopTotal)}
              </span>
            </p>
          </section>
        );
      })}
    </>
  );
}

function AddressChoice({
  items,
  chosen,
  onChoose,
}: {
  items: Address[];
  chosen: string | null;
  onChoose: (id: string) => void;
}) {
  if (!items.length) {
    return (
      <section class="card" aria-labelledby="checkout-address-title" id="checkout-no-address">
        <h2 id="checkout-address-title">{t('checkout.address')}</h2>
        <p>{t('checkout.noAddress')}</p>
        <Link href="/account/addresses" class="button" id="checkout-add-address">
          {t('checkout.addAddress')}
        </Link>
      </section>
    );
  }
  return (
    <fieldset class="card checkout-addresses" id="checkout-addresses">
      <legend>{t('checkout.address')}</legend>
      {items.map((a) => (
        <label class="checkout-address" key={a.id} data-address-id={a.id}>
          <input
            type="radio"
            name="address"
            value={a.id}
            checked={chosen === a.id}
            onChange={() => onChoose(a.id)}
          />
          <span class="checkout-address-text">
            <span class="address-who">
              <span class="address-name" dir="auto">
                {a.name}
              </span>{' '}
              <span class="address-phone" dir="ltr">
                {a.phone}
              </span>
              {a.is_default && <span class="badge address-default-badge">{t('addresses.default')}</span>}
            </span>
            <span class="address-region">
              <RegionPath code={a.region_code} />
            </span>
            <span class="address-detail" dir="auto">
              {a.detail}
            </span>
          </span>
        </label>
      ))}
      <p>
        <Link href="/account/addresses" id="checkout-manage-addresses">
          {t('checkout.manageAddresses')}
        </Link>
      </p>
    </fieldset>
  );
}

function Placed({ reply }: { reply: CheckoutReply }) {
  return (
    <div id="checkout-placed" data-checkout-id={reply.checkout_id}>
      <div class="alert alert-ok" role="status">
        <p class="alert-message">{t('checkout.placed', { n: num(reply.orders.length) })}</p>
      </div>
      <ul class="order-list">
        {reply.orders.map((o) => (
          <li class="card order-card" key={o.id} data-order-id={o.id} aria-labelledby={`placed-${o.id}-shop`}>
            <p class="order-head">
              <span class="order-shop" id={`placed-${o.id}-shop`} dir="auto">
                {o.shop_name}
              </span>
              <StatusBadge status={o.status} />
            </p>
            <OrderLines order={o} />
            <OrderSums order={o} idPrefix={`placed-${o.id}`} />
            <AwaitingPayment order={o} />
            <Link href={`/orders/${encodeURIComponent(o.id)}`} class="button button-secondary button-small">
              {t('orders.view')}
            </Link>
          </li>
        ))}
      </ul>
      <p class="cart-total">
        <span>{t('checkout.amount')}</span>
        <span id="checkout-amount" data-fen={reply.amount_fen}>
          {money(reply.amount_fen)}
        </span>
      </p>
      <Link href={reply.payment.pay_url} class="button" id="checkout-pay">
        {t('pay.button', { amount: money(reply.amount_fen) })}
      </Link>{' '}
      <Link href="/orders" class="button button-secondary" id="checkout-to-orders">
        {t('orders.title')}
      </Link>
    </div>
  );
}

export default function Checkout() {
  const data = useAsync(() => Promise.all([cartItems(), fetchAddresses()]), []);
  const [picked, setPicked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [placed, setPlaced] = useState<CheckoutReply | null>(null);
  /** The key of the current attempt; null when the next press starts a new one. */
  const attempt = useRef<string | null>(null);

  const [lines, book] = data.data ?? [null, null];
  const buyable = (lines ?? []).filter(isBuyable);
  const chosen = picked ?? book?.find((a) => a.is_default)?.id ?? book?.[0]?.id ?? null;
  const totals = cartTotals(buyable);

  const choose = (id: string) => {
    setPicked(id);
    attempt.current = null;
  };

  const place = async () => {
    if (!chosen || busy) return;
    attempt.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      const reply = await checkout(
        attempt.current,
        chosen,
        buyable.map((l) => ({ sku_id: l.sku_id, quantity: l.quantity })),
      );
      attempt.current = null;
      setPlaced(reply);
      document.getElementById('checkout-heading')?.focus();
    } catch (e) {
      if (isFinal(e)) attempt.current = null;
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const code = error instanceof ApiError ? error.code : '';
  return (
    <div class="page page-narrow checkout-page">
      <h1 id="checkout-heading" tabIndex={-1}>
        {t('checkout.title')}
      </h1>
      {placed ? (
        <Placed reply={placed} />
      ) : data.error && !data.data ? (
        <>
          <ProblemAlert error={data.error} id="checkout-load-error" />
          <button type="button" class="button" onClick={data.reload}>
            {t('common.retry')}
          </button>
        </>
      ) : !lines || !book ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : !buyable.length ? (
        <div class="card cart-empty" id="checkout-empty">
          <p>{t('checkout.nothing')}</p>
          <Link href="/cart" class="button">
            {t('checkout.backToCart')}
          </Link>
        </div>
      ) : (
        <>
          <Lines lines={buyable} />
          <AddressChoice items={book} chosen={chosen} onChoose={choose} />
          <section class="card cart-summary" aria-labelledby="checkout-summary-title">
            <h2 id="checkout-summary-title">{t('checkout.goodsTotal')}</h2>
            <p class="cart-total">
              <span id="checkout-total" data-fen={String(totals.fen)}>
                {money(totals.fen)}
              </span>
              <span class="muted">{t('cart.count', { n: num(totals.pieces) })}</span>
            </p>
            {(code === 'sold_out' || code === 'not_available') && (
              <div class="alert alert-error" id="checkout-stock-problem" role="alert">
                <p class="alert-message">{code === 'sold_out' ? t('checkout.soldOut') : t('checkout.notAvailable')}</p>
                <Link href="/cart">{t('checkout.backToCart')}</Link>
              </div>
            )}
            <ProblemAlert error={error} id="checkout-error" />
            <button
              type="button"
              class="button checkout-place"
              id="checkout-place"
              disabled={busy || !chosen}
              aria-busy={busy}
              onClick={() => void place()}
            >
              {busy ? t('checkout.placing') : t('checkout.place')}
            </button>
          </section>
        </>
      )}
    </div>
  );
}
