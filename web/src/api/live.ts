// Live rooms: the lists, one room, and the host's calls (schedule, rotate
// the stream key, pin a product, end, flash sales, mute and remove viewers,
// statistics); the buyer's flash-sale purchase; the room channel's events.
import { api } from './client';
import type { Order, Page, Payment } from './types';

export type RoomStatus = 'scheduled' | 'live' | 'ended';
export type LiveSection = 'live' | 'upcoming' | 'replays';
export const LIVE_SECTIONS: LiveSection[] = ['live', 'upcoming', 'replays'];
export const LIVE_PAGE = 20;
export const MAX_ROOM_TITLE = 60;

export interface Replay {
  id: string;
  url: string;
  created_at: string;
}

export interface LiveRoom {
  id: string;
  shop_id: string;
  shop_name: string;
  title: string;
  status: RoomStatus;
  scheduled_at: string;
  started_at: string | null;
  ended_at: string | null;
  hls_url: string;
  pinned_product: PinnedProduct | null;
  replays: Replay[];
  /** Current and upcoming flash sales. */
  flash_sales?: FlashSale[];
  likes: number;
  peak_viewers: number;
  /** The viewer runs this room (a member of its shop). */
  host: boolean;
  /** Only for the host. */
  rtmp_url?: string;
  stream_key?: string;
}

/** The product the host pins, as the room and its `pin` event carry it. */
export interface PinnedProduct {
  id: string;
  title: string;
  price_fen?: number;
  image_url?: string | null;
}

export type FlashSaleState = 'scheduled' | 'running' | 'ended';

export interface FlashSale {
  id: string;
  room_id: string;
  sku_id: string;
  product_id: string;
  title: string;
  sku_name: string;
  image_url: string | null;
  price_fen: number;
  list_price_fen: number;
  quantity: number;
  left: number;
  per_user_limit: number;
  starts_at: string | number;
  ends_at: string | number;
  state: FlashSaleState;
  server_time?: string | number;
}

/** The host's figures of one room (GMV counts paid orders; refunds, when reported, apart). */
export interface RoomStats {
  gmv_fen: number;
  refunded_fen?: number;
  orders: number;
  paid_orders: number;
  buyers: number;
  peak_viewers: number;
  likes: number;
  viewers: number;
}

/** The limits the server checks on a flash sale; the console's form checks them first. */
export const FLASH_MIN_DURATION_S = 10;
export const FLASH_MAX_DURATION_S = 86_400;
/** The longest chat line, in characters (code points). */
export const MAX_CHAT_CHARS = 200;
/** How long the host's mute buttons silence a viewer, in minutes. */
export const MUTE_MINUTES = [10, 60, 1440] as const;

export interface NewFlashSale {
  sku_id: string;
  price_fen: number;
  quantity: number;
  per_user_limit: number;
  starts_at: string;
  duration_s: number;
}

/** The reply of a flash-sale purchase: the unpaid order and its payment. */
export interface FlashBuyReply {
  order: Order;
  payment: Payment;
}

/** What the room channel sends (`type` tells which). */
export type ChannelEvent =
  | { type: 'hello'; server_time: number | string; can_chat: boolean }
  | { type: 'chat'; user_id: string; name: string; host: boolean; text: string; at: number | string }
  | { type: 'like'; total: number }
  | { type: 'viewers'; count: number }
  | { type: 'error'; code: string; field?: string; reason?: string }
  | { type: 'pin'; product: PinnedProduct | null }
  | { type: 'flash_sale'; sale: FlashSale; server_time?: number | string }
  | { type: 'stock'; sale_id: string; left: number }
  | { type: 'status'; status: 'scheduled' | 'live' | 'ended' }
  | { type: 'order_ticker'; buyer: string; province: string; quantity: number; title: string };

/** A time the server sent, as epoch milliseconds (it sends RFC 3339 text or a number). */
export function epochMs(value: string | number | null | undefined): number {
  if (value === null || value === undefined) return Number.NaN;
  return typeof value === 'number' ? value : Date.parse(value);
}

const id = (value: string) => encodeURIComponent(value);

export function liveRooms(section: LiveSection, cursor: string | null, shopId?: string): Promise<Page<LiveRoom>> {
  const q = new URLSearchParams({ section, limit: String(LIVE_PAGE) });
  if (cursor) q.set('cursor', cursor);
  if (shopId) q.set('shop_id', shopId);
  return api.get<Page<LiveRoom>>(`/live/rooms?${q}`);
}

export const liveRoom = (roomId: string) => api.get<LiveRoom>(`/live/rooms/${id(roomId)}`);

export const createRoom = (shopId: string, title: string, scheduledAt: string) =>
  api.post<LiveRoom>('/live/rooms', { shop_id: shopId, title, scheduled_at: scheduledAt });

export const rotateStreamKey = (roomId: string) => api.post<LiveRoom>(`/live/rooms/${id(roomId)}/stream-key`);

export const pinProduct = (roomId: string, productId: string | null) =>
  api.post<LiveRoom>(`/live/rooms/${id(roomId)}/pin`, { product_id: productId });

export const endRoom = (roomId: string) => api.post<LiveRoom>(`/live/rooms/${id(roomId)}/end`);

/** The room channel's WebSocket address on this site. */
export function roomSocketUrl(roomId: string): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api/v1/live/rooms/${id(roomId)}/ws`;
}

export const flashSales = (roomId: string) =>
  api.get<{ items: FlashSale[] }>(`/live/rooms/${id(roomId)}/flash-sales`).then((r) => r.items);

export const createFlashSale = (roomId: string, sale: NewFlashSale) =>
  api.post<FlashSale>(`/live/rooms/${id(roomId)}/flash-sales`, sale);

export const endFlashSale = (saleId: string) => api.post<FlashSale>(`/live/flash-sales/${id(saleId)}/end`);

/** One purchase attempt; a retry of the same attempt sends the same key. */
export const buyFlashSale = (idempotencyKey: string, saleId: string, quantity: number, addressId: string) =>
  api.post<FlashBuyReply>(
    `/live/flash-sales/${id(saleId)}/buy`,
    { quantity, address_id: addressId },
    { 'Idempotency-Key': idempotencyKey },
  );

export const roomStats = (roomId: string) => api.get<RoomStats>(`/live/rooms/${id(roomId)}/stats`);

/** Mutes a viewer for `minutes` (0 lifts the mute). */
export const muteViewer = (roomId: string, userId: string, minutes: number) =>
  api.post<{ user_id: string; muted_until: number }>(`/live/rooms/${id(roomId)}/mute`, { user_id: userId, minutes });

/** Closes the viewer's connections and keeps the viewer out of the room. */
export const removeViewer = (roomId: string, userId: string) =>
  api.post<{ user_id: string; removed: boolean }>(`/live/rooms/${id(roomId)}/remove`, { user_id: userId });
