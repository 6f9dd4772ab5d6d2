// Pieces shared by the live pages: a room's status badge and its card in a list.
import type { LiveRoom, RoomStatus } from '../api/live';
import { dateTime, t, type MessageKey } from '../i18n';
import { Link } from '../router';

export const ROOM_STATUS_KEYS: Record<RoomStatus, MessageKey> = {
  scheduled: 'live.status.scheduled',
  live: 'live.status.live',
  ended: 'live.status.ended',
};

export function RoomStatusBadge({ status }: { status: RoomStatus }) {
  return (
    <span class={`badge live-badge live-badge-${status}`} data-status={status}>
      {t(ROOM_STATUS_KEYS[status])}
    </span>
  );
}

/** When the room starts, started or ended, as its list shows it. */
export function roomWhen(room: LiveRoom): string {
  if (room.status === 'live' && room.started_at) return t('live.startedAt', { time: dateTime(room.started_at) });
  if (room.status === 'ended' && room.ended_at) return t('live.endedAt', { time: dateTime(room.ended_at) });
  return t('live.scheduledAt', { time: dateTime(room.scheduled_at) });
}

export function RoomCard({ room, href }: { room: LiveRoom; href?: string }) {
  return (
    <li class="card live-card" data-room={room.id}>
      <Link href={href ?? `/live/${encodeURIComponent(room.id)}`} class="live-card-link">
        <RoomStatusBadge status={room.status} />
        <strong class="live-card-title" dir="auto">
          {room.title}
        </strong>
        <span class="muted" dir="auto">
          {room.shop_name}
        </span>
        <span class="muted">{roomWhen(room)}</span>
      </Link>
    </li>
  );
}
