// The cart: lines grouped by shop with picture, title, option, unit price,
// a quantity stepper and remove; lines that cannot be bought are greyed and
// left out of the sums; subtotals per shop and the grand total in integer fen.
// A logged-in buyer's cart is the server's; a visitor's lives in this browser
// (state/guestCart.ts) and moves into the account after logging in.
import { useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { cartItems, maxQuantity, removeFromCart, setCartQuantity } from '../api/cart';
import type { CartLine } from '../api/types';
import { cartTotals, groupByShop, isBuyable } from '../cartTotals.js';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { ProductThumb } from '../components/ProductCard';
import { QuantityStepper } from '../components/QuantityStepper';
import { money, num, t } from '../i18n';
import { Link } from '../router';
import { asCartLines, guestCart, mergeGuestCart, removeGuestLine, setGuestQuantity } from '../state/guestCart';
import { sessionKnown, user } from '../state/session';

/** What the page can do with a line; the same view serves the server's cart and the visitor's. */
interface CartActions {
  change: (skuId: string, quantity: number) => void;
  remove: (line: CartLine) => void;
  errors: Record<string, unknown>;
  busy: Record<string, boolean>;
}

const itemName = (line: CartLine) => (line.spec ? `${line.title} (${line.spec})` : line.title);

function LineRow({ line, actions }: { line: CartLine; actions: CartActions }) {
  const buyable = isBuyable(line);
  const max = maxQuantity(line.stock);
  const idp = `line-${line.sku_id}`;
  const productHref = `/product/${encodeURIComponent(line.product_id)}`;
  return (
    <li
      class={`cart-line${buyable ? '' : ' cart-line-unavailable'}`}
      data-sku-id={line.sku_id}
      data-available={buyable ? 'true' : 'false'}
      aria-labelledby={`${idp}-title`}
    >
      <span class="cart-line-thumb">
        <ProductThumb src={line.thumb_url} size={64} />
      </span>
      <div class="cart-line-body">
        <Link href={productHref} class="cart-line-title" id={`${idp}-title`} dir="auto">
          {line.title}
        </Link>
        {line.spec && (
          <p class="cart-line-spec" dir="auto">
            {line.spec}
          </p>
        )}
        <p class="cart-line-price">
          <span class="visually-hidden">{t('cart.unitPrice')} </span>
          <span class="cart-line-unit" data-fen={line.price_fen}>
            {money(line.price_fen)}
          </span>
        </p>
        {!buyable && (
          <p class="cart-line-reason" id={`${idp}-reason`}>
            <span class="badge badge-muted">{line.available ? t('product.soldOut') : t('cart.unavailable')}</span>{' '}
            {t('cart.notCounted')}
          </p>
        )}
        {buyable && line.quantity > max && (
          <p class="cart-line-warning" id={`${idp}-short`}>
            {t('cart.onlyLeft', { n: num(line.stock) })}
          </p>
        )}
        <div class="cart-line-actions">
          {buyable ? (
            <QuantityStepper
              id={`qty-${line.sku_id}`}
              label={t('cart.quantityOf', { name: itemName(line) })}
              hideLabel
              itemName={itemName(line)}
              value={line.quantity}
              max={Math.max(max, 1)}
              onChange={(n) => actions.change(line.sku_id, n)}
            />
          ) : (
            <p class="cart-line-quantity">{t('cart.quantityN', { n: num(line.quantity) })}</p>
          )}
          <button
            type="button"
            class="button button-secondary button-small"
            data-action="remove"
            disabled={actions.busy[line.sku_id]}
            aria-label={t('cart.removeOf', { name: itemName(line) })}
            onClick={() => actions.remove(line)}
          >
            {t('cart.remove')}
          </button>
        </div>
        <ProblemAlert error={actions.errors[line.sku_id]} />
      </div>
    </li>
  );
}

function CartView({ lines, actions, guest }: { lines: CartLine[]; actions: CartActions; guest: boolean }) {
  if (!lines.length) {
    return (
      <div class="card cart-empty" id="cart-empty">
        <p>{t('cart.empty')}</p>
        <Link href="/" class="button">
          {t('cart.goShopping')}
        </Link>
      </div>
    );
  }
  const totals = cartTotals(lines);
  return (
    <>
      <div id="cart-shops">
        {groupByShop(lines).map((group) => {
          const first = group.lines[0]!;
          const shopTotal = totals.shops.get(group.shop_id);
          const headingId = `shop-${group.shop_id}-name`;
          return (
            <section
              class="card cart-shop"
              key={group.shop_id}
              data-shop-id={group.shop_id}
              aria-labelledby={headingId}
            >
              <h2 id={headingId} class="cart-shop-name" dir="auto">
                <Link href={`/shop/${encodeURIComponent(group.shop_id)}`}>{first.shop_name || t('shop.title')}</Link>
              </h2>
              <ul class="cart-lines">
                {group.lines.map((line) => (
                  <LineRow key={line.sku_id} line={line} actions={actions} />
                ))}
              </ul>
              <p class="cart-subtotal">
                <span>{t('cart.subtotal')}</span>
                <span
                  class="cart-subtotal-amount"
                  id={`subtotal-${group.shop_id}`}
                  data-fen={String(shopTotal?.fen ?? 0n)}
                >
                  {money(shopTotal?.fen ?? 0n)}
                </span>
              </p>
            </section>
          );
        })}
      </div>
      <section class="card cart-summary" aria-labelledby="cart-summary-title">
        <h2 id="cart-summary-title">{t('cart.total')}</h2>
        <p class="cart-total">
          <span id="cart-total" data-fen={String(totals.fen)}>
            {money(totals.fen)}
          </span>
          <span class="muted" id="cart-count">
            {t('cart.count', { n: num(totals.pieces) })}
          </span>
        </p>
        {guest ? (
          <div id="cart-login">
            <p>{t('cart.loginPrompt')}</p>
            <p class="muted">{t('cart.guestNote')}</p>
            <div class="actions">
              <Link href="/login?next=%2Fcart" class="button" id="cart-login-link">
                {t('cart.login')}
              </Link>
              <Link href="/register?next=%2Fcart" class="button button-secondary">
                {t('login.toRegister')}
              </Link>
            </div>
          </div>
        ) : (
          <div id="cart-checkout-note">
            {totals.pieces > 0 ? (
              <Link href="/checkout" class="button cart-checkout" id="cart-checkout">
                {t('cart.checkout')}
              </Link>
            ) : (
              <p class="muted">{t('cart.nothingToBuy')}</p>
            )}
          </div>
        )}
      </section>
    </>
  );
}

/** The visitor's cart: all in this browser, no request. */
function GuestCart({ onStatus }: { onStatus: (text: string) => void }) {
  const lines = asCartLines(guestCart.value);
  const actions: CartActions = {
    change: (skuId, quantity) => setGuestQuantity(skuId, quantity),
    remove: (line) => {
      removeGuestLine(line.sku_id);
      onStatus(t('cart.removed', { name: itemName(line) }));
    },
    errors: {},
    busy: {},
  };
  return <CartView lines={lines} actions={actions} guest />;
}

/** The logged-in buyer's cart: first merges what was added before logging in, then loads. */
function AccountCart({ onStatus }: { onStatus: (text: string) => void }) {
  const [lines, setLines] = useState<CartLine[] | null>(null);
  const [loadError, setLoadError] = useState<unknown>(null);
  const [mergeError, setMergeError] = useState<unknown>(null);
  const [errors, setErrors] = useState<Record<string, unknown>>({});
  const [busy, setBusy] = useState<Record<string, boolean>>({});
  // The last quantity the server confirmed per SKU, and the one the buyer wants now.
  const confirmed = useRef(new Map<string, CartLine>());
  const wanted = useRef(new Map<string, number>());
  const sending = useRef(new Set<string>());
  const alive = useRef(true);
  useEffect(() => () => void (alive.current = false), []);

  const load = async () => {
    setLoadError(null);
    setMergeError(null);
    try {
      await mergeGuestCart();
    } catch (e) {
      // The visitor's lines stay in this browser; the account's cart still shows.
      setMergeError(e);
    }
    try {
      const items = await cartItems();
      if (!alive.current) return;
      confirmed.current = new Map(items.map((l) => [l.sku_id, l]));
      setLines(items);
    } catch (e) {
      if (alive.current) setLoadError(e);
    }
  };
  useEffect(() => void load(), []);

  const setError = (skuId: string, error: unknown) => setErrors((have) => ({ ...have, [skuId]: error }));
  const replace = (line: CartLine) =>
    setLines((have) => have && have.map((l) => (l.sku_id === line.sku_id ? line : l)));
  const drop = (skuId: string) => {
    confirmed.current.delete(skuId);
    setLines((have) => have && have.filter((l) => l.sku_id !== skuId));
  };

  /**
   * Shows the new quantity at once and saves it; taps that come while a save
   * is on its way are folded into one more request with the latest number.
   */
  const change = async (skuId: string, quantity: number) => {
    setLines((have) => have && have.map((l) => (l.sku_id === skuId ? { ...l, quantity } : l)));
    setError(skuId, null);
    wanted.current.set(skuId, quantity);
    if (sending.current.has(skuId)) return;
    sending.current.add(skuId);
    try {
      for (;;) {
        const want = wanted.current.get(skuId);
        if (want === undefined) break;
        try {
          const line = await setCartQuantity(skuId, want);
          confirmed.current.set(skuId, line);
          if (wanted.current.get(skuId) === want) {
            wanted.current.delete(skuId);
            if (alive.current) replace(line);
          }
        } catch (e) {
          wanted.current.delete(skuId);
          if (!alive.current) break;
          if (e instanceof ApiError && e.status === 404) {
            drop(skuId);
          } else {
            const before = confirmed.current.get(skuId);
            if (before) replace(before);
            setError(skuId, e);
          }
        }
      }
    } finally {
      sending.current.delete(skuId);
    }
  };

  const remove = async (line: CartLine) => {
    setError(line.sku_id, null);
    setBusy((have) => ({ ...have, [line.sku_id]: true }));
    try {
      await removeFromCart(line.sku_id);
      drop(line.sku_id);
      onStatus(t('cart.removed', { name: itemName(line) }));
    } catch (e) {
      if (e instanceof ApiError && e.status === 404) drop(line.sku_id);
      else setError(line.sku_id, e);
    } finally {
      setBusy((have) => ({ ...have, [line.sku_id]: false }));
    }
  };

  return (
    <>
      {mergeError ? (
        <div class="card" id="cart-merge-error">
          <p>{t('cart.mergeFailed')}</p>
          <ProblemAlert error={mergeError} />
          <button type="button" class="button button-secondary" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
      {loadError ? (
        <>
          <ProblemAlert error={loadError} id="cart-error" />
          <button type="button" class="button" onClick={() => void load()}>
            {t('common.retry')}
          </button>
        </>
      ) : lines === null ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <CartView
          lines={lines}
          actions={{ change: (s, q) => void change(s, q), remove: (l) => void remove(l), errors, busy }}
          guest={false}
        />
      )}
    </>
  );
}

export default function Cart() {
  const [status, setStatus] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  // After a removal the button is gone: focus goes to the heading, the status says what happened.
  const onStatus = (text: string) => {
    setStatus(text);
    heading.current?.focus();
  };
  return (
    <div class="page page-narrow cart-page">
      <h1 id="cart-heading" ref={heading} tabIndex={-1}>
        {t('cart.title')}
      </h1>
      <StatusMessage text={status} />
      {!sessionKnown.value ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : user.value ? (
        <AccountCart key={user.value.id} onStatus={onStatus} />
      ) : (
        <GuestCart onStatus={onStatus} />
      )}
    </div>
  );
}
