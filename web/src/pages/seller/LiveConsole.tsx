// The host's console of one room: the push address and the stream key
// (hidden until revealed; copy; rotate), a go-live checklist, the room's
// statistics, the pinned product, flash sales (start, list, end early), the
// chat with mute and remove, and ending the room. Only the shop's members
// get the key from the server; anyone else sees a "not yours" message.
import { useState } from 'preact/hooks';
import { shopProducts } from '../../api/catalog';
import { endRoom, liveRoom, pinProduct, rotateStreamKey, type LiveRoom } from '../../api/live';
import { SelectField } from '../../components/Field';
import { RoomStatusBadge, roomWhen } from '../../components/LiveParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { useAsync } from '../../components/useAsync';
import { t, type MessageKey } from '../../i18n';
import { Link } from '../../router';
import type { PageProps } from '../../routes';
import { FlashSaleForm, FlashSaleList, ModeratedChat, RoomStatsCard } from '../live/ConsoleParts';
import { useRoomChannel } from '../live/useRoomChannel';

const CHECKLIST: MessageKey[] = [
  'liveConsole.check.encoder',
  'liveConsole.check.video',
  'liveConsole.check.network',
  'liveConsole.check.product',
  'liveConsole.check.preview',
];

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}

function StreamSettings({ room, onChange }: { room: LiveRoom; onChange: (r: LiveRoom) => void }) {
  const [shown, setShown] = useState(false);
  const [status, setStatus] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const key = room.stream_key ?? '';
  const push = room.rtmp_url ?? '';

  const copyText = async (text: string) => setStatus((await copy(text)) ? t('liveConsole.copied') : t('liveConsole.copyFailed'));
  const rotate = async () => {
    if (!window.confirm(t('liveConsole.rotateConfirm'))) return;
    setBusy(true);
    setError(null);
    try {
      onChange(await rotateStreamKey(room.id));
      setShown(false);
      setStatus(t('liveConsole.rotated'));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="console-stream-title" id="console-stream">
      <h2 id="console-stream-title">{t('liveConsole.stream')}</h2>
      <dl class="console-fields">
        <dt>{t('liveConsole.server')}</dt>
        <dd>
          <code dir="ltr" id="console-rtmp-url">
            {push}
          </code>{' '}
          <button type="button" class="button button-secondary button-small" onClick={() => copyText(push)}>
            {t('liveConsole.copy')}
          </button>
        </dd>
        <dt>{t('liveConsole.key')}</dt>
        <dd>
          <code dir="ltr" id="console-stream-key" data-shown={shown ? 'yes' : 'no'}>
            {shown ? key : '••••••••••••••••'}
          </code>{' '}
          <button
            type="button"
            class="button button-secondary button-small"
            id="console-reveal"
            aria-pressed={shown}
            onClick={() => setShown(!shown)}
          >
            {shown ? t('liveConsole.hide') : t('liveConsole.reveal')}
          </button>{' '}
          <button type="button" class="button button-secondary button-small" id="console-copy-key" onClick={() => copyText(key)}>
            {t('liveConsole.copy')}
          </button>{' '}
          {room.status !== 'ended' && (
            <button type="button" class="button button-secondary button-small" id="console-rotate" onClick={rotate} disabled={busy}>
              {t('liveConsole.rotate')}
            </button>
          )}
        </dd>
      </dl>
      <p class="muted">{t('liveConsole.keyHint')}</p>
      <StatusMessage text={status} />
      <ProblemAlert error={error} />
    </section>
  );
}

function PinForm({ room, onChange }: { room: LiveRoom; onChange: (r: LiveRoom) => void }) {
  const products = useAsync(() => shopProducts(room.shop_id, null, 100), [room.shop_id]);
  const onSale = (products.data?.items ?? []).filter((p) => p.on_sale);
  const [chosen, setChosen] = useState(room.pinned_product?.id ?? '');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const pin = async (productId: string | null) => {
    setBusy(true);
    setError(null);
    try {
      onChange(await pinProduct(room.id, productId));
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="card" aria-labelledby="console-pin-title" id="console-pin">
      <h2 id="console-pin-title">{t('liveConsole.pin')}</h2>
      <p id="console-pinned" dir="auto">
        {room.pinned_product ? room.pinned_product.title : t('liveConsole.nothingPinned')}
      </p>
      <ProblemAlert error={error ?? products.error} />
      {room.status !== 'ended' && (
        <div class="form">
          <SelectField
            id="console-pin-product"
            name="product_id"
            labelKey="liveConsole.product"
            value={chosen}
            onValue={setChosen}
          >
            <option value="">{t('liveConsole.chooseProduct')}</option>
            {onSale.map((p) => (
              <option key={p.id} value={p.id}>
                {p.title}
              </option>
            ))}
          </SelectField>
          <button type="button" class="button" id="console-pin-submit" disabled={busy || !chosen} onClick={() => pin(chosen)}>
            {t('liveConsole.pinIt')}
          </button>
          {room.pinned_product && (
            <button type="button" class="button button-secondary" id="console-unpin" disabled={busy} onClick={() => pin(null)}>
              {t('liveConsole.unpin')}
            </button>
          )}
        </div>
      )}
    </section>
  );
}

export default function LiveConsole({ params }: PageProps) {
  const room = useAsync(() => liveRoom(params.id), [params.id]);
  const [endError, setEndError] = useState<unknown>(null);
  const [salesVersion, setSalesVersion] = useState(0);
  const r = room.data;
  const channel = useRoomChannel(params.id, !!r && r.host && r.status !== 'ended');
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
  if (!r.host) {
    return (
      <div class="page page-narrow">
        <h1>{t('liveConsole.title')}</h1>
        <p class="alert" role="alert" id="console-not-host">
          {t('liveConsole.notHost')}
        </p>
      </div>
    );
  }
  const end = async () => {
    if (!window.confirm(t('liveConsole.endConfirm'))) return;
    setEndError(null);
    try {
      room.set(await endRoom(r.id));
    } catch (e) {
      setEndError(e);
    }
  };
  return (
    <div class="page live-console" data-status={r.status} id="live-console">
      <p class="breadcrumb">
        <Link href={`/seller/shops/${encodeURIComponent(r.shop_id)}/live`}>{t('sellerLive.title')}</Link>
      </p>
      <h1 id="console-title" tabIndex={-1} dir="auto">
        {r.title}
      </h1>
      <p>
        <RoomStatusBadge status={r.status} /> <span class="muted">{roomWhen(r)}</span>{' '}
        <Link href={`/live/${encodeURIComponent(r.id)}`} id="console-room-link">
          {t('liveConsole.openRoom')}
        </Link>
      </p>
      {r.status !== 'ended' && <StreamSettings room={r} onChange={room.set} />}
      <section class="card" aria-labelledby="console-checklist-title" id="console-checklist">
        <h2 id="console-checklist-title">{t('liveConsole.checklist')}</h2>
        <ol class="console-checklist">
          {CHECKLIST.map((k) => (
            <li key={k}>
              <label>
                <input type="checkbox" /> {t(k)}
              </label>
            </li>
          ))}
        </ol>
      </section>
      <RoomStatsCard roomId={r.id} />
      <PinForm room={r} onChange={room.set} />
      {r.status !== 'ended' && (
        <FlashSaleForm room={r} offsetMs={channel.state.offsetMs} onCreated={() => setSalesVersion((v) => v + 1)} />
      )}
      <FlashSaleList roomId={r.id} channel={channel} version={salesVersion} />
      {r.status !== 'ended' && <ModeratedChat roomId={r.id} channel={channel} />}
      {r.status !== 'ended' && (
        <section class="card" aria-labelledby="console-end-title">
          <h2 id="console-end-title">{t('liveConsole.end')}</h2>
          <p class="muted">{t('liveConsole.endHint')}</p>
          <ProblemAlert error={endError} />
          <button type="button" class="button button-danger" id="console-end" onClick={end}>
            {t('liveConsole.endIt')}
          </button>
        </section>
      )}
    </div>
  );
}
