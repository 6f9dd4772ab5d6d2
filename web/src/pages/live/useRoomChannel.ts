// The room channel as a page sees it: one WebSocket per page, opened while
// the room has not ended, reopened with a growing, jittered delay when it
// drops, closed when the page goes; a change of the room's status (live,
// ended) makes the page load the room again. Its events fold into one state: the chat
// (its last lines), likes, viewers, the pinned product, the flash sales with
// their stock left, the last order of the ticker, the last refusal, and the
// server's clock as an offset from this device's.
import { useEffect, useReducer, useRef } from 'preact/hooks';
import { epochMs, roomSocketUrl, type ChannelEvent, type FlashSale, type PinnedProduct } from '../../api/live';

/** The chat lines a page keeps. */
export const CHAT_KEEP = 200;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 30_000;

export type ConnState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ChatLine {
  key: number;
  user_id: string;
  name: string;
  host: boolean;
  text: string;
  at: number;
}

export interface TickerLine {
  key: number;
  buyer: string;
  province: string;
  quantity: number;
  title: string;
}

export interface ChannelState {
  conn: ConnState;
  /** From `hello`: whether this viewer may chat (logged in); null before it. */
  canChat: boolean | null;
  /** Server clock minus this device's, in ms. */
  offsetMs: number;
  chat: ChatLine[];
  likes: number | null;
  viewers: number | null;
  /** undefined until the host pins or unpins while the page is open. */
  pinned: PinnedProduct | null | undefined;
  sales: Record<string, FlashSale>;
  left: Record<string, number>;
  /** When (this device's clock) the channel last told of each sale. */
  saleAt: Record<string, number>;
  ticker: TickerLine | null;
  /** The last refusal (`error` event); `key` changes with each one. */
  error: { code: string; key: number } | null;
  /** The host removed this viewer: the channel stays closed. */
  removed: boolean;
  seq: number;
}

type Action =
  | { kind: 'conn'; conn: ConnState }
  | { kind: 'event'; event: ChannelEvent; at: number }
  | { kind: 'like' }
  | { kind: 'clearError' };

export const initialChannel: ChannelState = {
  conn: 'connecting',
  canChat: null,
  offsetMs: 0,
  chat: [],
  likes: null,
  viewers: null,
  pinned: undefined,
  sales: {},
  left: {},
  saleAt: {},
  ticker: null,
  error: null,
  removed: false,
  seq: 0,
};

function offset(serverTime: number | string | undefined, localNow: number, fallback: number): number {
  const ms = epochMs(serverTime);
  return Number.isFinite(ms) ? ms - localNow : fallback;
}

export function reduceChannel(s: ChannelState, a: Action): ChannelState {
  switch (a.kind) {
    case 'conn':
      return { ...s, conn: s.removed ? 'closed' : a.conn };
    case 'like':
      return { ...s, likes: (s.likes ?? 0) + 1 };
    case 'clearError':
      return s.error ? { ...s, error: null } : s;
    case 'event':
      break;
  }
  const e = a.event;
  const seq = s.seq + 1;
  switch (e.type) {
    case 'hello':
      return { ...s, seq, canChat: !!e.can_chat, offsetMs: offset(e.server_time, a.at, s.offsetMs) };
    case 'chat': {
      const line: ChatLine = {
        key: seq,
        user_id: String(e.user_id),
        name: String(e.name ?? ''),
        host: !!e.host,
        text: String(e.text ?? ''),
        at: epochMs(e.at),
      };
      const chat = s.chat.length >= CHAT_KEEP ? [...s.chat.slice(s.chat.length - CHAT_KEEP + 1), line] : [...s.chat, line];
      return { ...s, seq, chat };
    }
    case 'like':
      return typeof e.total === 'number' ? { ...s, seq, likes: e.total } : s;
    case 'viewers':
      return typeof e.count === 'number' ? { ...s, seq, viewers: e.count } : s;
    case 'pin':
      return { ...s, seq, pinned: e.product ?? null };
    case 'flash_sale': {
      const sale = e.sale;
      if (!sale || !sale.id) return s;
      const id = String(sale.id);
      return {
        ...s,
        seq,
        sales: { ...s.sales, [id]: sale },
        left: { ...s.left, [id]: sale.left },
        saleAt: { ...s.saleAt, [id]: a.at },
        offsetMs: offset(e.server_time ?? sale.server_time, a.at, s.offsetMs),
      };
    }
    case 'stock':
      if (typeof e.left !== 'number') return s;
      return {
        ...s,
        seq,
        left: { ...s.left, [String(e.sale_id)]: e.left },
        saleAt: { ...s.saleAt, [String(e.sale_id)]: a.at },
      };
    case 'order_ticker':
      return {
        ...s,
        seq,
        ticker: { key: seq, buyer: e.buyer, province: e.province, quantity: e.quantity, title: e.title },
      };
    case 'error':
      return { ...s, seq, error: { code: String(e.code), key: seq }, removed: s.removed || e.code === 'removed' };
    default:
      return s;
  }
}

/** Delay before the `attempt`-th reconnection: 1 s doubling to 30 s, each between half and all of it. */
export function retryDelay(attempt: number, random = Math.random): number {
  const full = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** Math.min(Math.max(attempt - 1, 0), 5));
  return Math.round(full / 2 + (random() * full) / 2);
}

export interface RoomChannel {
  state: ChannelState;
  /** Sends a chat line or a like; false when the socket is not open. */
  send: (message: { type: 'chat'; text: string } | { type: 'like' }) => boolean;
  /** Counts this viewer's like at once; the server's next total replaces it. */
  likeLocally: () => void;
  clearError: () => void;
}

/**
 * `onStale` is called when the room's status changed (a `status` event: it
 * went live or ended) and when the socket closed without the page asking,
 * before the next attempt: the page loads the room again (once it has
 * ended, the page turns `enabled` off and the attempts stop).
 */
export function useRoomChannel(roomId: string, enabled: boolean, onStale?: () => void): RoomChannel {
  const [state, dispatch] = useReducer(reduceChannel, initialChannel);
  const socket = useRef<WebSocket | null>(null);
  const dropped = useRef(onStale);
  dropped.current = onStale;

  useEffect(() => {
    if (!enabled) return undefined;
    let stopped = false;
    let removed = false;
    let attempt = 0;
    let timer = 0;

    const open = () => {
      dispatch({ kind: 'conn', conn: attempt ? 'reconnecting' : 'connecting' });
      let ws: WebSocket;
      try {
        ws = new WebSocket(roomSocketUrl(roomId));
      } catch {
        retry();
        return;
      }
      socket.current = ws;
      ws.onopen = () => {
        attempt = 0;
        dispatch({ kind: 'conn', conn: 'open' });
      };
      ws.onmessage = (m: MessageEvent) => {
        if (typeof m.data !== 'string') return;
        let event: ChannelEvent;
        try {
          event = JSON.parse(m.data) as ChannelEvent;
        } catch {
          return;
        }
        if (!event || typeof event !== 'object' || typeof event.type !== 'string') return;
        if (event.type === 'error' && event.code === 'removed') removed = true;
        if (event.type === 'status') dropped.current?.();
        dispatch({ kind: 'event', event, at: Date.now() });
      };
      ws.onclose = () => {
        if (socket.current === ws) socket.current = null;
        if (stopped) return;
        if (removed) {
          dispatch({ kind: 'conn', conn: 'closed' });
          return;
        }
        dropped.current?.();
        retry();
      };
    };
    const retry = () => {
      attempt += 1;
      dispatch({ kind: 'conn', conn: 'reconnecting' });
      timer = window.setTimeout(open, retryDelay(attempt));
    };

    open();
    return () => {
      stopped = true;
      window.clearTimeout(timer);
      const ws = socket.current;
      socket.current = null;
      if (ws) {
        ws.onclose = null;
        ws.onmessage = null;
        ws.close(1000);
      }
    };
  }, [roomId, enabled]);

  const send: RoomChannel['send'] = (message) => {
    const ws = socket.current;
    if (!ws || ws.readyState !== WebSocket.OPEN) return false;
    ws.send(JSON.stringify(message));
    return true;
  };
  return {
    state,
    send,
    likeLocally: () => dispatch({ kind: 'like' }),
    clearError: () => dispatch({ kind: 'clearError' }),
  };
}

/** A sale's phase at the server's time `now` (an early end counts even before ends_at). */
export function salePhase(sale: FlashSale, now: number): 'scheduled' | 'running' | 'ended' {
  if (sale.state === 'ended') return 'ended';
  if (now < epochMs(sale.starts_at)) return 'scheduled';
  if (now < epochMs(sale.ends_at)) return 'running';
  return 'ended';
}

/** A countdown as h:mm:ss or m:ss. */
export function countdown(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const sec = total % 60;
  const two = (n: number) => String(n).padStart(2, '0');
  return h ? `${h}:${two(m)}:${two(sec)}` : `${m}:${two(sec)}`;
}

export interface SaleView {
  sale: FlashSale;
  left: number;
}

/**
 * The room's sales as the page knows them: those loaded over HTTP at
 * `loadedAt` (this device's clock) and those the channel told of, the newer
 * of the two winning for each sale (an event can be dropped for a slow
 * viewer; a reload after it is then the truth).
 */
export function mergeSales(loaded: FlashSale[], loadedAt: number, state: ChannelState): SaleView[] {
  const out = new Map<string, SaleView>();
  for (const sale of loaded) out.set(String(sale.id), { sale, left: sale.left });
  for (const [id, at] of Object.entries(state.saleAt)) {
    const have = out.get(id);
    if (have && at < loadedAt) continue;
    const sale = state.sales[id] ?? have?.sale;
    if (!sale) continue;
    out.set(id, { sale, left: state.left[id] ?? sale.left });
  }
  return [...out.values()];
}
