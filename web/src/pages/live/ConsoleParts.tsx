// The host console's live parts: the room's statistics (refreshed every few
// seconds), the flash-sale form and the room's sales (left, sold, end early),
// and the chat with mute and remove buttons on each viewer's line.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useMemo, useState } from 'preact/hooks';
import { shopProducts } from '../../api/catalog';
import {
  createFlashSale,
  endFlashSale,
  epochMs,
  FLASH_MAX_DURATION_S,
  FLASH_MIN_DURATION_S,
  flashSales,
  muteViewer,
  MUTE_MINUTES,
  removeViewer,
  roomStats,
  type FlashSale,
  type LiveRoom,
  type RoomStats,
} from '../../api/live';
import { Field, SelectField } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { dateTime, money, num, t, type MessageKey } from '../../i18n';
import { parseYuan } from '../../money.js';
import { ChatPanel } from './ChatPanel';
import { useServerNow } from './FlashSaleCard';
import { countdown, mergeSales, salePhase, type ChatLine, type RoomChannel } from './useRoomChannel';

/** How often the console asks for the room's figures. */
export const STATS_REFRESH_MS = 5000;
/** How often the console reads the room's sales again (the channel tells of changes in between). */
const SALES_REFRESH_MS = 15_000;

const MUTE_KEYS: Record<(typeof MUTE_MINUTES)[number], MessageKey> = {
  10: 'liveConsole.mute10m',
  60: 'liveConsole.mute1h',
  1440: 'liveConsole.mute1d',
};

export function RoomStatsCard({ roomId }: { roomId: string }) {
  const [stats, setStats] = useState<RoomStats | null>(null);
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    let stopped = false;
    let timer = 0;
    const load = async () => {
      try {
        const s = await roomStats(roomId);
        if (stopped) return;
        setStats(s);
        setError(null);
      } catch (e) {
        if (!stopped) setError(e);
      }
      if (!stopped) timer = window.setTimeout(load, STATS_REFRESH_MS);
    };
    load();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
    };
  }, [roomId]);

  const figures: [string, MessageKey, string][] = stats
    ? [
        ['gmv', 'liveConsole.stats.gmv', money(stats.gmv_fen)],
        ['orders', 'liveConsole.stats.orders', num(stats.orders)],
        ['paid', 'liveConsole.stats.paidOrders', num(stats.paid_orders)],
        ['buyers', 'liveConsole.stats.buyers', num(stats.buyers)],
        ['viewers', 'liveConsole.stats.viewers', num(stats.viewers)],
        ['peak', 'liveConsole.stats.peak', num(stats.peak_viewers)],
        ['likes', 'liveConsole.stats.likes', num(stats.likes)],
      ]
    : [];
  if (stats?.refunded_fen) figures.splice(1, 0, ['refunded', 'liveConsole.stats.refunded', money(stats.refunded_fen)]);
  return (
    <section class="card" aria-labelledby="console-stats-title" id="console-stats">
      <h2 id="console-stats-title">{t('liveConsole.stats')}</h2>
      <ProblemAlert error={error} />
      {stats ? (
        <dl class="console-stats">
          {figures.map(([name, key, value]) => (
            <div key={name} class="console-stat" data-stat={name}>
              <dt>{t(key)}</dt>
              <dd id={`console-stat-${name}`}>{value}</dd>
            </div>
          ))}
        </dl>
      ) : (
        !error && (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        )
      )}
      <p class="muted">{t('liveConsole.stats.hint')}</p>
    </section>
  );
}

/** A datetime-local value ("2026-05-01T20:00") read as Beijing time. */
function beijing(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : null;
}

function wholeNumber(text: string): number | null {
  const ascii = text.trim().replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0));
  return /^\d{1,7}$/.test(ascii) ? Number.parseInt(ascii, 10) : null;
}

interface FormProps {
  room: LiveRoom;
  offsetMs: number;
  onCreated: (sale: FlashSale) => void;
}

export function FlashSaleForm({ room, offsetMs, onCreated }: FormProps) {
  const products = useAsync(() => shopProducts(room.shop_id, null, 100), [room.shop_id]);
  const skus = (products.data?.items ?? [])
    .filter((p) => p.on_sale)
    .flatMap((p) => p.skus.map((s) => ({ ...s, product: p.title })));
  const [skuId, setSkuId] = useState('');
  const [price, setPrice] = useState('');
  const [quantity, setQuantity] = useState('');
  const [limit, setLimit] = useState('1');
  const [startNow, setStartNow] = useState(true);
  const [when, setWhen] = useState('');
  const [minutes, setMinutes] = useState('5');
  const [status, setStatus] = useState<string | null>(null);
  const form = useSubmit(['sku_id', 'price_fen', 'quantity', 'per_user_limit', 'starts_at', 'duration_s']);
  const sku = skus.find((s) => s.id === skuId) ?? null;

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setStatus(null);
    const errors: Record<string, string> = {};
    const priceFen = parseYuan(price);
    const qty = wholeNumber(quantity);
    const perUser = wholeNumber(limit);
    const mins = wholeNumber(minutes);
    const at = startNow ? new Date(Date.now() + offsetMs).toISOString() : beijing(when);
    if (!sku) errors.sku_id = t('form.required', { field: t('liveConsole.flash.sku') });
    if (priceFen === null || priceFen < 1) errors.price_fen = t('liveConsole.flash.error.price');
    if (qty === null || qty < 1 || (sku && qty > sku.stock)) {
      errors.quantity = t('liveConsole.flash.error.quantity', { stock: num(sku?.stock ?? 0) });
    }
    if (perUser === null || perUser < 1 || (qty !== null && perUser > qty)) {
      errors.per_user_limit = t('liveConsole.flash.error.limit');
    }
    if (!at) errors.starts_at = t('form.required', { field: t('liveConsole.flash.startsAt') });
    const durationS = (mins ?? 0) * 60;
    if (mins === null || durationS < FLASH_MIN_DURATION_S || durationS > FLASH_MAX_DURATION_S) {
      errors.duration_s = t('liveConsole.flash.error.duration');
    }
    if (Object.keys(errors).length || !sku || !at || priceFen === null || qty === null || perUser === null) {
      return form.failMany(errors);
    }
    const sale = await form.run(() =>
      createFlashSale(room.id, {
        sku_id: sku.id,
        price_fen: priceFen,
        quantity: qty,
        per_user_limit: perUser,
        starts_at: at,
        duration_s: durationS,
      }),
    );
    if (sale) {
      setStatus(t('liveConsole.flash.created'));
      setQuantity('');
      onCreated(sale);
      products.reload();
    }
  };

  return (
    <section class="card" aria-labelledby="console-flash-new-title" id="console-flash-new">
      <h2 id="console-flash-new-title">{t('liveConsole.flash.new')}</h2>
      <form id="console-flash-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error ?? products.error} id="console-flash-error" />
        <SelectField
          id="console-flash-sku"
          name="sku_id"
          labelKey="liveConsole.flash.sku"
          value={skuId}
          onValue={setSkuId}
          error={form.fieldErrors.sku_id}
        >
          <option value="">{t('liveConsole.flash.chooseSku')}</option>
          {skus.map((s) => (
            <option key={s.id} value={s.id} disabled={s.stock < 1}>
              {t('liveConsole.flash.skuOption', {
                product: s.product,
                spec: s.spec,
                price: money(s.price_fen),
                stock: num(s.stock),
              })}
            </option>
          ))}
        </SelectField>
        <Field
          id="console-flash-price"
          name="price_fen"
          labelKey="liveConsole.flash.price"
          hintKey="liveConsole.flash.priceHint"
          value={price}
          onValue={setPrice}
          inputMode="decimal"
          error={form.fieldErrors.price_fen}
          inputRef={form.ref('price_fen')}
        />
        <Field
          id="console-flash-quantity"
          name="quantity"
          labelKey="liveConsole.flash.quantity"
          value={quantity}
          onValue={setQuantity}
          inputMode="numeric"
          error={form.fieldErrors.quantity}
          inputRef={form.ref('quantity')}
        />
        <Field
          id="console-flash-limit"
          name="per_user_limit"
          labelKey="liveConsole.flash.perUser"
          value={limit}
          onValue={setLimit}
          inputMode="numeric"
          error={form.fieldErrors.per_user_limit}
          inputRef={form.ref('per_user_limit')}
        />
        <fieldset class="console-flash-start">
          <legend>{t('liveConsole.flash.startsAt')}</legend>
          <label>
            <input
              type="radio"
              name="start"
              id="console-flash-now"
              checked={startNow}
              onChange={() => setStartNow(true)}
            />{' '}
            {t('liveConsole.flash.now')}
          </label>{' '}
          <label>
            <input
              type="radio"
              name="start"
              id="console-flash-later"
              checked={!startNow}
              onChange={() => setStartNow(false)}
            />{' '}
            {t('liveConsole.flash.later')}
          </label>
        </fieldset>
        {!startNow && (
          <Field
            id="console-flash-when"
            name="starts_at"
            type="datetime-local"
            labelKey="liveConsole.flash.when"
            hintKey="sellerLive.whenHint"
            value={when}
            onValue={setWhen}
            error={form.fieldErrors.starts_at}
            inputRef={form.ref('starts_at')}
          />
        )}
        <Field
          id="console-flash-minutes"
          name="duration_s"
          labelKey="liveConsole.flash.minutes"
          value={minutes}
          onValue={setMinutes}
          inputMode="numeric"
          error={form.fieldErrors.duration_s}
          inputRef={form.ref('duration_s')}
        />
        <button type="submit" class="button" id="console-flash-submit" disabled={form.busy}>
          {form.busy ? t('common.working') : t('liveConsole.flash.start')}
        </button>
        <StatusMessage text={status} />
      </form>
    </section>
  );
}

const PHASE_KEYS: Record<'scheduled' | 'running' | 'ended', MessageKey> = {
  scheduled: 'liveConsole.flash.scheduled',
  running: 'liveConsole.flash.running',
  ended: 'liveConsole.flash.ended',
};

interface ListProps {
  roomId: string;
  channel: RoomChannel;
  /** Changes when a sale was created here, to load the list again. */
  version: number;
}

export function FlashSaleList({ roomId, channel, version }: ListProps) {
  const list = useAsync(() => flashSales(roomId), [roomId, version]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const now = useServerNow(channel.state.offsetMs);
  const loadedAt = useMemo(() => Date.now(), [list.data]);
  // Read again now and then: the list is the truth when a channel event was missed.
  useEffect(() => {
    const timer = window.setInterval(() => list.reload(), SALES_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [roomId]);
  const sales = mergeSales(list.data ?? [], loadedAt, channel.state).sort(
    (a, b) => epochMs(b.sale.starts_at) - epochMs(a.sale.starts_at),
  );

  const end = async (sale: FlashSale) => {
    if (!window.confirm(t('liveConsole.flash.endConfirm'))) return;
    setBusy(sale.id);
    setError(null);
    try {
      await endFlashSale(sale.id);
      list.reload();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section class="card" aria-labelledby="console-flash-title" id="console-flash">
      <h2 id="console-flash-title">{t('liveConsole.flash.list')}</h2>
      <ProblemAlert error={error ?? list.error} />
      {sales.length ? (
        <ul class="console-sales" id="console-sales">
          {sales.map(({ sale: s, left }) => {
            const phase = salePhase(s, now);
            return (
              <li key={s.id} class="console-sale" data-sale={s.id} data-phase={phase} data-left={left}>
                <strong dir="auto">{s.sku_name ? `${s.title} · ${s.sku_name}` : s.title}</strong>{' '}
                <span class="price">{money(s.price_fen)}</span>{' '}
                <span class={`badge flash-badge flash-badge-${phase}`}>{t(PHASE_KEYS[phase])}</span>
                <br />
                <span class="muted">
                  {t('liveConsole.flash.leftSold', {
                    left: num(left),
                    sold: num(Math.max(0, s.quantity - left)),
                    total: num(s.quantity),
                  })}{' '}
                  {phase === 'scheduled'
                    ? t('live.flash.startsIn', { time: countdown(epochMs(s.starts_at) - now) })
                    : phase === 'running'
                      ? t('live.flash.endsIn', { time: countdown(epochMs(s.ends_at) - now) })
                      : t('liveConsole.flash.endedAt', { time: dateTime(epochMs(s.ends_at)) })}
                </span>{' '}
                {phase !== 'ended' && (
                  <button
                    type="button"
                    class="button button-secondary button-small"
                    data-action="end-sale"
                    disabled={busy === s.id}
                    onClick={() => end(s)}
                  >
                    {t('liveConsole.flash.endIt')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      ) : (
        !list.loading && <p class="empty">{t('liveConsole.flash.none')}</p>
      )}
    </section>
  );
}

export function ModeratedChat({ roomId, channel }: { roomId: string; channel: RoomChannel }) {
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const act = async (action: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(null);
    setStatus(null);
    try {
      await action();
      setStatus(done);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  const actions = (line: ChatLine) =>
    line.host ? null : (
      <span class="chat-actions">
        {MUTE_MINUTES.map((m) => (
          <button
            key={m}
            type="button"
            class="button button-secondary button-small"
            data-action={`mute-${m}`}
            disabled={busy}
            aria-label={t('liveConsole.muteLabel', { name: line.name, time: t(MUTE_KEYS[m]) })}
            onClick={() => act(() => muteViewer(roomId, line.user_id, m), t('liveConsole.muted', { name: line.name }))}
          >
            {t(MUTE_KEYS[m])}
          </button>
        ))}
        <button
          type="button"
          class="button button-danger button-small"
          data-action="remove"
          disabled={busy}
          aria-label={t('liveConsole.removeLabel', { name: line.name })}
          onClick={() => {
            if (!window.confirm(t('liveConsole.removeConfirm', { name: line.name }))) return;
            act(() => removeViewer(roomId, line.user_id), t('liveConsole.removed', { name: line.name }));
          }}
        >
          {t('liveConsole.remove')}
        </button>
      </span>
    );

  return (
    <section class="card" aria-labelledby="console-chat-title" id="console-chat">
      <h2 id="console-chat-title">{t('liveConsole.chat')}</h2>
      <p class="muted">
        {channel.state.viewers === null
          ? t('live.viewersUnknown')
          : t('live.viewers', { count: num(channel.state.viewers) })}
      </p>
      <StatusMessage text={status} />
      <ProblemAlert error={error} id="console-chat-problem" />
      <ChatPanel roomId={roomId} channel={channel} nextPath={`/seller/live/${roomId}`} actions={actions} idPrefix="console-chat" />
    </section>
  );
}
