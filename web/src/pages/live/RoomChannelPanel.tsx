// The room page's live part, fed by the room channel: the connection state,
// viewers and the like button, the flash-sale cards, the order ticker, and
// the chat.
import { epochMs, type FlashSale } from '../../api/live';
import { num, t } from '../../i18n';
import { navigate } from '../../router';
import { user } from '../../state/session';
import { ChatPanel } from './ChatPanel';
import { FlashSaleCard, useServerNow } from './FlashSaleCard';
import { mergeSales, salePhase, type ChannelState, type RoomChannel, type SaleView } from './useRoomChannel';

const PHASE_ORDER = { running: 0, scheduled: 1, ended: 2 } as const;

/** The sales to show: ended ones only if they ended while watching; running first, then by start. */
export function currentSales(initial: FlashSale[], loadedAt: number, state: ChannelState, now: number): SaleView[] {
  const out = mergeSales(initial, loadedAt, state).filter(
    (v) => salePhase(v.sale, now) !== 'ended' || state.sales[String(v.sale.id)],
  );
  return out.sort(
    (a, b) =>
      PHASE_ORDER[salePhase(a.sale, now)] - PHASE_ORDER[salePhase(b.sale, now)] ||
      epochMs(a.sale.starts_at) - epochMs(b.sale.starts_at),
  );
}

export function ConnectionState({ state }: { state: ChannelState }) {
  if (state.conn === 'open') return null;
  const key =
    state.conn === 'closed' ? 'live.conn.closed' : state.conn === 'reconnecting' ? 'live.conn.reconnecting' : 'live.conn.connecting';
  return (
    <p class="live-conn muted" id="live-conn" data-state={state.conn} role="status">
      {t(key)}
    </p>
  );
}

interface PanelProps {
  roomId: string;
  channel: RoomChannel;
  initialSales: FlashSale[];
  /** When the room (and `initialSales`) arrived, by this device's clock. */
  loadedAt: number;
  initialLikes: number;
}

/** The sale cards; the clock ticks here only, so the chat does not redraw with the countdown. */
interface FlashSalesProps {
  roomId: string;
  state: ChannelState;
  initialSales: FlashSale[];
  loadedAt: number;
}

function FlashSales({ roomId, state, initialSales, loadedAt }: FlashSalesProps) {
  const now = useServerNow(state.offsetMs);
  const sales = currentSales(initialSales, loadedAt, state, now);
  if (!sales.length) return null;
  return (
    <div class="flash-list" id="live-flash">
      {sales.map((v) => (
        <FlashSaleCard key={v.sale.id} sale={v.sale} left={v.left} now={now} roomId={roomId} />
      ))}
    </div>
  );
}

export function RoomChannelPanel({ roomId, channel, initialSales, loadedAt, initialLikes }: PanelProps) {
  const { state } = channel;
  const anySales = initialSales.length > 0 || Object.keys(state.sales).length > 0;
  const likes = state.likes ?? initialLikes;
  const nextPath = `/live/${roomId}`;

  const like = () => {
    if (!user.value || state.canChat === false) {
      navigate(`/login?next=${encodeURIComponent(nextPath)}`);
      return;
    }
    if (channel.send({ type: 'like' })) channel.likeLocally();
  };

  return (
    <section class="card live-channel" id="live-channel" data-slot="room-channel" data-conn={state.conn} aria-labelledby="live-channel-title">
      <h2 id="live-channel-title">{t('live.channel')}</h2>
      <ConnectionState state={state} />
      <div class="live-bar">
        <span class="live-viewers" id="live-viewers" data-count={state.viewers ?? ''}>
          {state.viewers === null ? t('live.viewersUnknown') : t('live.viewers', { count: num(state.viewers) })}
        </span>
        <button
          type="button"
          class="button button-secondary button-small live-like"
          id="live-like"
          onClick={like}
          disabled={state.conn !== 'open' && !!user.value}
          aria-label={t('live.likeLabel', { count: num(likes) })}
        >
          <span aria-hidden="true">♥ </span>
          <span id="live-likes" data-count={likes}>
            {num(likes)}
          </span>
        </button>
      </div>
      {state.ticker && (
        <p class="live-ticker" id="live-ticker" key={state.ticker.key} role="status">
          {t('live.ticker', {
            buyer: state.ticker.buyer,
            province: state.ticker.province,
            quantity: num(state.ticker.quantity),
            title: state.ticker.title,
          })}
        </p>
      )}
      {anySales && <FlashSales roomId={roomId} state={state} initialSales={initialSales} loadedAt={loadedAt} />}
      <ChatPanel roomId={roomId} channel={channel} nextPath={nextPath} />
    </section>
  );
}
