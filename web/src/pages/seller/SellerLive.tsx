// A shop's live rooms: those live now and upcoming, each opening its host
// console, and the form to schedule a new one (Beijing time).
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { createRoom, liveRooms, MAX_ROOM_TITLE, type LiveRoom } from '../../api/live';
import { Field } from '../../components/Field';
import { RoomCard } from '../../components/LiveParts';
import { ProblemAlert } from '../../components/ProblemAlert';
import { SellerShopHead } from '../../components/SellerNav';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { t } from '../../i18n';
import { navigate } from '../../router';
import type { PageProps } from '../../routes';

/** A datetime-local value ("2026-05-01T20:00") read as Beijing time. */
function beijing(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : null;
}

/** Tomorrow at 20:00 Beijing time, as a datetime-local value. */
function tomorrowEvening(): string {
  const day = new Date(Date.now() + 8 * 3600_000 + 86_400_000).toISOString().slice(0, 10);
  return `${day}T20:00`;
}

function NewRoomForm({ shopId }: { shopId: string }) {
  const [title, setTitle] = useState('');
  const [when, setWhen] = useState(tomorrowEvening());
  const form = useSubmit(['title', 'scheduled_at']);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    if (!title.trim()) errors.title = t('form.required', { field: t('sellerLive.roomTitle') });
    const at = beijing(when);
    if (!at) errors.scheduled_at = t('form.required', { field: t('sellerLive.when') });
    if (Object.keys(errors).length || !at) return form.failMany(errors);
    const room = await form.run(() => createRoom(shopId, title.trim(), at));
    if (room) navigate(`/seller/live/${encodeURIComponent(room.id)}`);
  };

  return (
    <section class="card" aria-labelledby="live-new-title">
      <h2 id="live-new-title">{t('sellerLive.new')}</h2>
      <form id="live-new-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="live-new-error" />
        <Field
          id="live-new-room-title"
          name="title"
          labelKey="sellerLive.roomTitle"
          value={title}
          onValue={setTitle}
          error={form.fieldErrors.title}
          required
          maxLength={MAX_ROOM_TITLE}
          dir="auto"
          inputRef={form.ref('title')}
        />
        <Field
          id="live-new-when"
          name="scheduled_at"
          type="datetime-local"
          labelKey="sellerLive.when"
          hintKey="sellerLive.whenHint"
          value={when}
          onValue={setWhen}
          error={form.fieldErrors.scheduled_at}
          required
          inputRef={form.ref('scheduled_at')}
        />
        <button type="submit" class="button" id="live-new-submit" disabled={form.busy}>
          {form.busy ? t('common.working') : t('sellerLive.create')}
        </button>
      </form>
    </section>
  );
}

export default function SellerLive({ params }: PageProps) {
  const shopId = params.id;
  const rooms = useAsync(
    () =>
      Promise.all([liveRooms('live', null, shopId), liveRooms('upcoming', null, shopId)]).then(([a, b]) => [
        ...a.items,
        ...b.items,
      ]),
    [shopId],
  );
  const list: LiveRoom[] = rooms.data ?? [];
  return (
    <div class="page">
      <SellerShopHead shopId={shopId} titleKey="sellerLive.title" />
      <section aria-labelledby="seller-live-rooms">
        <h2 id="seller-live-rooms">{t('sellerLive.rooms')}</h2>
        <ProblemAlert error={rooms.error} />
        {list.length ? (
          <ul class="live-list" id="seller-live-list">
            {list.map((r) => (
              <RoomCard key={r.id} room={r} href={`/seller/live/${encodeURIComponent(r.id)}`} />
            ))}
          </ul>
        ) : rooms.loading ? (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        ) : (
          <p class="empty">{t('sellerLive.none')}</p>
        )}
      </section>
      <NewRoomForm shopId={shopId} />
    </div>
  );
}
