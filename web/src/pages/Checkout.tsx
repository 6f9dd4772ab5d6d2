// Checkout: the cart's buyable lines grouped by shop with the goods sums in
// integer fen, a choice of saved address (the default preselected), the
// server's preview of what each shop's order costs there (goods, shipping
// fee, coupon discount, total), coupon codes (each one checked by a new
// preview before it is kept), and "Place order", which makes one order per
// shop. The Idempotency-Key lives as long as one attempt: a retry after a
// lost answer sends the same key (the server replays its first reply), a
// changed address, changed coupons or a definite answer start a new attempt.
// Placed orders are shown here with the way to pay.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { addresses as fetchAddresses } from '../api/addresses';
import { cartItems } from '../api/cart';
import { ApiError } from '../api/client';
import { checkout, newIdempotencyKey } from '../api/orders';
import { checkoutPreview, MAX_COUPON_CODE, MAX_COUPON_CODES, normaliseCode } from '../api/pricing';
import type { Address, CartLine, CheckoutPreview, CheckoutReply, PreviewOrder } from '../api/types';
import { cartTotals, groupByShop, isBuyable } from '../cartTotals.js';
import { Field } from '../components/Field';
import { AwaitingPayment, OrderLines, OrderSums, StatusBadge } from '../components/OrderParts';
import { ProblemAlert } from '../components/ProblemAlert';
import { RegionPath } from '../components/ShopCard';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { money, num, t } from '../i18n';
import { Link } from '../router';
import type { PageProps } from '../routes';

/** Answers after which the same attempt cannot succeed: the next try is a new one. */
const isFinal = (e: unknown) => e instanceof ApiError && e.status >= 400 && e.status < 500;

/** The server's figures for one shop's order: shipping, discount and total. */
function ShopSums({ order }: { order: PreviewOrder }) {
  const p = `checkout-preview-${order.shop_id}`;
  return (
    <dl class="order-sums checkout-shop-sums" id={p}>
      <dt>{t('orders.goods')}</dt>
      <dd id={`${p}-goods`} data-fen={order.goods_fen}>
        {money(order.goods_fen)}
      </dd>
      <dt>{t('orders.shipping')}</dt>
      <dd id={`${p}-shipping`} data-fen={order.shipping_fen}>
        {order.shipping_fen === 0 ? t('checkout.freeShipping') : money(order.shipping_fen)}
      </dd>
      {order.discount_fen > 0 && (
        <>
          <dt>{t('orders.discount')}</dt>
          <dd id={`${p}-discount`} data-fen={order.discount_fen}>
            -{money(order.discount_fen)}
          </dd>
        </>
      )}
      <dt class="order-sums-total">{t('checkout.shopTotal')}</dt>
      <dd class="order-sums-total" id={`${p}-total`} data-fen={order.total_fen}>
        {money(order.total_fen)}
      </dd>
    </dl>
  );
}

function Lines({ lines, preview }: { lines: CartLine[]; preview: CheckoutPreview | null }) {
  const totals = cartTotals(lines);
  return (
    <>
      {groupByShop(lines).map((group) => {
        const headingId = `checkout-shop-${group.shop_id}`;
        const shopTotal = totals.shops.get(group.shop_id)?.fen ?? 0n;
        const priced = preview?.orders.find((o) => o.shop_id === group.shop_id) ?? null;
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
            {priced && <ShopSums order={priced} />}
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

/**
 * Coupon codes: a code is kept only when a preview with it succeeds, so the
 * buyer sees the server's reason (unknown, expired, below the threshold…) at
 * once; removing one re-runs the preview too.
 */
function Coupons({
  codes,
  preview,
  onTry,
  onRemove,
}: {
  codes: string[];
  preview: CheckoutPreview | null;
  onTry: (codes: string[]) => Promise<unknown>;
  onRemove: (code: string) => void;
}) {
  const [code, setCode] = useState('');
  const form = useSubmit(['coupon_codes'], null, {
    coupon_unknown: 'coupon_codes',
    coupon_expired: 'coupon_codes',
    coupon_not_started: 'coupon_codes',
    coupon_not_applicable: 'coupon_codes',
    coupon_below_threshold: 'coupon_codes',
    coupon_conflict: 'coupon_codes',
    coupons_gone: 'coupon_codes',
    limit_reached: 'coupon_codes',
    unknown_coupon: 'coupon_codes',
  });

  const apply = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const wanted = normaliseCode(code);
    if (!wanted) return form.fail('coupon_codes', t('form.required', { field: t('coupons.code') }));
    if (codes.includes(wanted)) return form.fail('coupon_codes', t('coupons.already'));
    if (codes.length >= MAX_COUPON_CODES) {
      return form.fail('coupon_codes', t('coupons.tooMany', { n: num(MAX_COUPON_CODES) }));
    }
    const ok = await form.run(async () => {
      await onTry([...codes, wanted]);
      return true;
    });
    if (ok) setCode('');
  };

  const discountOf = (c: string) => preview?.coupons.find((x) => x.code === c)?.discount_fen ?? null;
  return (
    <section class="card" aria-labelledby="checkout-coupons-title" id="checkout-coupons">
      <h2 id="checkout-coupons-title">{t('coupons.title')}</h2>
      {codes.length > 0 && (
        <ul class="coupon-chips" id="checkout-coupon-list">
          {codes.map((c) => {
            const off = discountOf(c);
            return (
              <li key={c} class="coupon-chip" data-code={c} data-fen={off ?? ''}>
                <code dir="ltr">{c}</code>
                {off !== null && <span class="coupon-off">-{money(off)}</span>}
                <button
                  type="button"
                  class="button button-secondary button-small"
                  aria-label={t('coupons.removeNamed', { code: c })}
                  onClick={() => onRemove(c)}
                >
                  {t('coupons.remove')}
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <form id="coupon-form" class="form field-row" onSubmit={apply} noValidate>
        <Field
          id="coupon-code"
          name="coupon_codes"
          labelKey="coupons.code"
          value={code}
          onValue={setCode}
          error={form.fieldErrors.coupon_codes}
          maxLength={MAX_COUPON_CODE}
          dir="ltr"
          inputRef={form.ref('coupon_codes')}
        />
        <button
          type="submit"
          class="button button-secondary"
          id="coupon-apply"
          disabled={form.busy}
          aria-busy={form.busy}
        >
          {form.busy ? t('common.working') : t('coupons.apply')}
        </button>
      </form>
    </section>
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

export default function Checkout({ query }: PageProps) {
  // From a live room's buy button: the orders carry the room.
  const liveRoomId = /^\d{1,19}$/.test(query?.get('live_room_id') ?? '') ? query.get('live_room_id') : null;
  const data = useAsync(() => Promise.all([cartItems(), fetchAddresses()]), []);
  const [picked, setPicked] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [placed, setPlaced] = useState<CheckoutReply | null>(null);
  const [codes, setCodes] = useState<string[]>([]);
  const [preview, setPreview] = useState<CheckoutPreview | null>(null);
  const [previewError, setPreviewError] = useState<unknown>(null);
  /** The key of the current attempt; null when the next press starts a new one. */
  const attempt = useRef<string | null>(null);
  const generation = useRef(0);

  const [lines, book] = data.data ?? [null, null];
  const buyable = (lines ?? []).filter(isBuyable);
  const chosen = picked ?? book?.find((a) => a.is_default)?.id ?? book?.[0]?.id ?? null;
  const totals = cartTotals(buyable);
  const items = buyable.map((l) => ({ sku_id: l.sku_id, quantity: l.quantity }));
  const itemsKey = items.map((i) => `${i.sku_id}x${i.quantity}`).join(',');

  /** Asks for the prices with these coupons; throws the server's problem (the caller shows it). */
  const runPreview = async (withCodes: string[]) => {
    if (!chosen) return;
    const gen = ++generation.current;
    const body = withCodes.length
      ? { address_id: chosen, items, coupon_codes: withCodes }
      : { address_id: chosen, items };
    const reply = await checkoutPreview(body);
    if (gen !== generation.current) return;
    setPreview(reply);
    setPreviewError(null);
    setCodes(withCodes);
    attempt.current = null;
  };

  // A new address or other lines: new prices (shipping depends on where the parcel goes).
  useEffect(() => {
    if (!chosen || !items.length || placed) return;
    runPreview(codes).catch((e: unknown) => {
      setPreviewError(e);
      setPreview(null);
    });
  }, [chosen, itemsKey]);

  const choose = (id: string) => {
    setPicked(id);
    attempt.current = null;
  };

  const removeCode = (code: string) => {
    runPreview(codes.filter((c) => c !== code)).catch((e: unknown) => setPreviewError(e));
  };

  const place = async () => {
    if (!chosen || busy) return;
    attempt.current ??= newIdempotencyKey();
    setBusy(true);
    setError(null);
    try {
      const reply = await checkout(attempt.current, chosen, items, codes, liveRoomId);
      attempt.current = null;
      setPlaced(reply);
      document.getElementById('checkout-heading')?.focus();
    } catch (e) {
      if (isFinal(e)) attempt.current = null;
      setError(e);
      // The coupons were used up meanwhile: the prices without them, before the next press.
      if (e instanceof ApiError && e.code === 'coupons_gone') {
        runPreview([]).catch((p: unknown) => setPreviewError(p));
      }
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
          <Lines lines={buyable} preview={preview} />
          <AddressChoice items={book} chosen={chosen} onChoose={choose} />
          {chosen && (
            <Coupons codes={codes} preview={preview} onTry={runPreview} onRemove={removeCode} />
          )}
          <section class="card cart-summary" aria-labelledby="checkout-summary-title">
            <h2 id="checkout-summary-title">{t('checkout.goodsTotal')}</h2>
            <p class="cart-total">
              <span id="checkout-total" data-fen={String(totals.fen)}>
                {money(totals.fen)}
              </span>
              <span class="muted">{t('cart.count', { n: num(totals.pieces) })}</span>
            </p>
            {preview && (
              <p class="cart-total checkout-amount">
                <span>{t('checkout.amount')}</span>
                <span id="checkout-preview-amount" data-fen={preview.amount_fen}>
                  {money(preview.amount_fen)}
                </span>
              </p>
            )}
            <ProblemAlert error={previewError} id="checkout-preview-error" />
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
