// A live room: the video (HLS through hls.js, loaded only on this page; the
// browser's own player where it plays HLS natively), the pinned product with
// a buy button that checks out with the room's id, the room channel (chat,
// likes, viewers, flash sales, order ticker) while the room has not ended,
// and the replays once it has. A room that has not started yet is polled
// until it does.
import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { addToCart } from '../api/cart';
import { getProduct } from '../api/catalog';
import { liveRoom, type LiveRoom as Room, type PinnedProduct as Pinned } from '../api/live';
import type { Product } from '../api/types';
import { RoomStatusBadge, roomWhen } from '../components/LiveParts';
import { ProblemAlert } from '../components/ProblemAlert';
import { useAsync } from '../components/useAsync';
import { money, t } from '../i18n';
import { Link, navigate } from '../router';
import type { PageProps } from '../routes';
import { user } from '../state/session';
import { RoomChannelPanel } from './live/RoomChannelPanel';
import { useRoomChannel } from './live/useRoomChannel';

const POLL_MS = 5000;

/** Plays a live HLS playlist. hls.js (its "light" build) is fetched with this page only. */
function LivePlayer({ src }: { src: string }) {
  const video = useRef<HTMLVideoElement>(null);
  const [failed, setFailed] = useState(false);

  useEffect(() => {
    const el = video.current;
    if (!el) return;
    let destroyed = false;
    let destroy: () => void = () => {};
    import('hls.js/light').then(({ default: Hls }) => {
      if (destroyed) return;
      if (Hls.isSupported()) {
        const hls = new Hls({ liveSyncDurationCount: 2, manifestLoadingMaxRetry: 6, manifestLoadingRetryDelay: 1000 });
        hls.on(Hls.Events.ERROR, (_event, data) => {
          if (data.fatal) setFailed(true);
        });
        hls.loadSource(src);
        hls.attachMedia(el);
        destroy = () => hls.destroy();
      } else if (el.canPlayType('application/vnd.apple.mpegurl')) {
        el.src = src;
      } else {
        setFailed(true);
      }
      el.play().catch(() => {
        /* autoplay refused: the controls remain */
      });
    }, () => setFailed(true));
    return () => {
      destroyed = true;
      destroy();
    };
  }, [src]);

  return (
    <div class="live-player">
      <video
        id="live-video"
        ref={video}
        controls
        muted
        autoPlay
        playsInline
        aria-label={t('live.videoLabel')}
      />
      {failed && (
        <p class="alert" role="alert" id="live-video-error">
          {t('live.videoFailed')}
        </p>
      )}
    </div>
  );
}

/** The pinned product: picture, title, price and the buy button. */
function PinnedProduct({ room, pinned }: { room: Room; pinned: Pinned | null }) {
  const product = useAsync<Product | null>(() => (pinned ? getProduct(pinned.id) : Promise.resolve(null)), [
    pinned?.id,
  ]);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  if (!pinned) return null;
  const p = product.data;
  const sku = p?.skus.find((s) => s.stock > 0) ?? null;

  const buy = async () => {
    if (!sku) return;
    if (!user.value) {
      navigate(`/login?next=${encodeURIComponent(`/live/${room.id}`)}`);
      return;
    }
    setBusy(true);
    setError(null);
    try {
      await addToCart(sku.id, 1);
      navigate(`/checkout?live_room_id=${encodeURIComponent(room.id)}`);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card live-pinned" id="live-pinned" aria-labelledby="live-pinned-title">
      <h2 id="live-pinned-title">{t('live.pinned')}</h2>
      <div class="live-pinned-body">
        {(pinned.image_url || p?.images[0]) && (
          <img src={pinned.image_url || p?.images[0]?.thumb_url} alt={pinned.title} width={96} height={96} loading="lazy" />
        )}
        <div>
          <Link href={`/product/${encodeURIComponent(pinned.id)}`} dir="auto" id="live-pinned-link">
            {pinned.title}
          </Link>
          {(pinned.price_fen !== undefined || p) && (
            <p class="price" id="live-pinned-price">
              {money(pinned.price_fen ?? p!.min_price_fen)}
            </p>
          )}
        </div>
      </div>
      <ProblemAlert error={error ?? product.error} />
      <button
        type="button"
        class="button button-block"
        id="live-buy"
        onClick={buy}
        disabled={busy || !sku || !p?.on_sale}
      >
        {sku ? t('live.buy') : t('cart.outOfStock')}
      </button>
    </section>
  );
}

export default function LiveRoom({ params }: PageProps) {
  const room = useAsync(() => liveRoom(params.id), [params.id]);
  const r = room.data;
  // A dropped socket may mean the room ended: look again (the channel stops once it has).
  const channel = useRoomChannel(params.id, !!r && r.status !== 'ended', room.reload);
  // When this copy of the room arrived: the newer of it and the channel's events wins.
  const loadedAt = useMemo(() => Date.now(), [r]);
  const pinned = channel.state.pinned !== undefined ? channel.state.pinned : (r?.pinned_product ?? null);

  // Until the room goes live (or ends), look again every few seconds.
  useEffect(() => {
    if (!r || r.status !== 'scheduled') return;
    const timer = window.setTimeout(() => room.reload(), POLL_MS);
    return () => window.clearTimeout(timer);
  }, [r]);

  if (!r) {
    return (
      <div class="page">
        <ProblemAlert error={room.error} />
        {room.loading && (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        )}
      </div>
    );
  }
  return (
    <div class="page live-room" data-status={r.status} id="live-room">
      <p class="breadcrumb">
        <Link href="/live">{t('live.title')}</Link>
      </p>
      <h1 id="live-room-title" tabIndex={-1} dir="auto">
        {r.title}
      </h1>
      <p class="live-room-meta">
        <RoomStatusBadge status={r.status} /> <span dir="auto">{r.shop_name}</span>{' '}
        <span class="muted">{roomWhen(r)}</span>
      </p>
      {r.host && (
        <p>
          <Link href={`/seller/live/${encodeURIComponent(r.id)}`} class="button button-secondary" id="live-console-link">
            {t('liveConsole.title')}
          </Link>
        </p>
      )}

      {r.status === 'live' && <LivePlayer src={r.hls_url} />}
      {r.status === 'scheduled' && (
        <p class="live-waiting card" id="live-waiting">
          {t('live.notStarted', { time: roomWhen(r) })}
        </p>
      )}
      {r.status === 'ended' && (
        <section aria-labelledby="live-replays-title" id="live-replays">
          <h2 id="live-replays-title">{t('live.replays')}</h2>
          {r.replays.length ? (
            r.replays.map((x) => (
              <video key={x.id} class="live-replay" src={x.url} controls preload="metadata" aria-label={t('live.replayLabel')} />
            ))
          ) : (
            <p class="empty">{t('live.noReplay')}</p>
          )}
        </section>
      )}

      <PinnedProduct room={r} pinned={pinned} />

      {r.status !== 'ended' && (
        <RoomChannelPanel
          roomId={r.id}
          channel={channel}
          initialSales={r.flash_sales ?? []}
          loadedAt={loadedAt}
          initialLikes={r.likes ?? 0}
        />
      )}
    </div>
  );
}
