// Live rooms: the lists, one room, and the host's calls (schedule, rotate
// the stream key, pin a product, end).
import { api } from './client';
import type { Page } from './types';

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
  pinned_product: { id: string; title: string } | null;
  replays: Replay[];
  likes: number;
  peak_viewers: number;
  /** The viewer runs this room (a member of its shop). */
  host: boolean;
  /** Only for the host. */
  rtmp_url?: string;
  stream_key?: string;
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
