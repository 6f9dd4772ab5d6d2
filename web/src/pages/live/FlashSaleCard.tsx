// One flash sale on the room page: the price against the list price, a
// countdown to its start or end (by the server's clock), the stock bar, the
// quantity up to the per-buyer limit, and the buy button. Buying places an
// unpaid order at the buyer's default address (a fresh Idempotency-Key per
// attempt) and opens its payment; the sale's refusals are named plainly.
import { useEffect, useState } from 'preact/hooks';
import { addresses } from '../../api/addresses';
import { ApiError } from '../../api/client';
import { buyFlashSale, epochMs, type FlashSale } from '../../api/live';
import { newIdempotencyKey } from '../../api/orders';
import { ProblemAlert } from '../../components/ProblemAlert';
import { QuantityStepper } from '../../components/QuantityStepper';
import { money, num, t, type MessageKey } from '../../i18n';
import { Link, navigate } from '../../router';
import { user } from '../../state/session';
import { countdown, salePhase } from './useRoomChannel';

const TICK_MS = 250;

const BUY_ERRORS: Record<string, MessageKey> = {
  sold_out: 'live.flash.error.soldOut',
  limit_reached: 'live.flash.error.limit',
  not_started: 'live.flash.error.notStarted',
  ended: 'live.flash.error.ended',
  no_address: 'live.flash.error.noAddress',
};

/** The server's clock now, ticking. */
export function useServerNow(offsetMs: number): number {
  const [now, setNow] = useState(() => Date.now() + offsetMs);
  useEffect(() => {
    setNow(Date.now() + offsetMs);
    const timer = window.setInterval(() => setNow(Date.now() + offsetMs), TICK_MS);
    return () => window.clearInterval(timer);
  }, [offsetMs]);
  return now;
}

interface CardProps {
  sale: FlashSale;
  left: number;
  now: number;
  roomId: string;
}

export function FlashSaleCard({ sale, left, now, roomId }: CardProps) {
  const phase = salePhase(sale, now);
  const [quantity, setQuantity] = useState(1);
  const [busy, setBusy] = useState(false);
  const [code, setCode] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const soldOut = left <= 0;
  const most = Math.max(1, Math.min(sale.per_user_limit, left));
  const sold = Math.max(0, sale.quantity - left);
  const title = sale.sku_name ? `${sale.title} · ${sale.sku_name}` : sale.title;

  useEffect(() => {
    if (quantity > most) setQuantity(most);
  }, [most]);

  const buy = async () => {
    if (!user.value) {
      navigate(`/login?next=${encodeURIComponent(`/live/${roomId}`)}`);
      return;
    }
    setBusy(true);
    setCode(null);
    setError(null);
    try {
      const list = await addresses();
      const address = list.find((a) => a.is_default) ?? list[0];
      if (!address) {
        setCode('no_address');
        return;
      }
      const reply = await buyFlashSale(newIdempotencyKey(), sale.id, quantity, address.id);
      navigate(`/pay/${encodeURIComponent(reply.payment.id)}`);
    } catch (e) {
      if (e instanceof ApiError && BUY_ERRORS[e.code]) setCode(e.code);
      else setError(e);
    } finally {
      setBusy(false);
    }
  };

  const phaseText =
    phase === 'scheduled'
      ? t('live.flash.startsIn', { time: countdown(epochMs(sale.starts_at) - now) })
      : phase === 'running'
        ? t('live.flash.endsIn', { time: countdown(epochMs(sale.ends_at) - now) })
        : t('live.flash.over');
  const idBase = `flash-${sale.id}`;
  return (
    <article class="card flash-card" id={idBase} data-sale={sale.id} data-phase={phase} data-left={left} aria-labelledby={`${idBase}-title`}>
      <p class="flash-head">
        <span class={`badge flash-badge flash-badge-${phase}`}>{t('live.flash.badge')}</span>{' '}
        <span class="flash-countdown" id={`${idBase}-countdown`} role="timer" aria-live="off">
          {phaseText}
        </span>
      </p>
      <div class="flash-body">
        {sale.image_url && <img src={sale.image_url} alt={sale.title} width={72} height={72} loading="lazy" />}
        <div>
          <h3 class="flash-title" id={`${idBase}-title`} dir="auto">
            {title}
          </h3>
          <p class="flash-prices">
            <strong class="price flash-price" id={`${idBase}-price`}>
              {money(sale.price_fen)}
            </strong>{' '}
            {sale.list_price_fen > sale.price_fen && (
              <del class="muted flash-list-price">
                <span class="visually-hidden">{t('live.flash.listPrice')}</span>
                {money(sale.list_price_fen)}
              </del>
            )}
          </p>
        </div>
      </div>
      <progress class="flash-stock" value={left} max={Math.max(1, sale.quantity)} aria-labelledby={`${idBase}-left`} />
      <p class="flash-left muted" id={`${idBase}-left`}>
        {t('live.flash.left', { left: num(left), total: num(sale.quantity) })}{' '}
        {t('live.flash.sold', { sold: num(sold) })}{' '}
        {t('live.flash.limit', { limit: num(sale.per_user_limit) })}
      </p>
      {phase !== 'ended' && (
        <div class="flash-buy">
          <QuantityStepper
            id={`${idBase}-qty`}
            label={t('live.flash.quantity')}
            value={Math.min(quantity, most)}
            max={most}
            onChange={setQuantity}
            disabled={busy || soldOut}
          />
          <button
            type="button"
            class="button"
            id={`${idBase}-buy`}
            onClick={buy}
            disabled={busy || phase !== 'running' || soldOut}
          >
            {soldOut ? t('live.flash.soldOut') : phase === 'scheduled' ? t('live.flash.soon') : t('live.flash.buy')}
          </button>
        </div>
      )}
      {code && (
        <p class="alert alert-error" role="alert" id={`${idBase}-error`} data-code={code}>
          {t(BUY_ERRORS[code]!)}
          {code === 'no_address' && (
            <>
              {' '}
              <Link href="/account/addresses">{t('live.flash.addAddress')}</Link>
            </>
          )}
        </p>
      )}
      <ProblemAlert error={error} id={`${idBase}-problem`} />
    </article>
  );
}
