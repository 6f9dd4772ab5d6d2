// The live page: rooms live now, upcoming ones and replays, each list with
// its own "load more".
import { useEffect, useState } from 'preact/hooks';
import { LIVE_SECTIONS, liveRooms, type LiveRoom, type LiveSection } from '../api/live';
import { RoomCard } from '../components/LiveParts';
import { ProblemAlert } from '../components/ProblemAlert';
import { t, type MessageKey } from '../i18n';

const TITLES: Record<LiveSection, MessageKey> = {
  live: 'live.nowLive',
  upcoming: 'live.upcoming',
  replays: 'live.replays',
};
const EMPTY: Record<LiveSection, MessageKey> = {
  live: 'live.noneLive',
  upcoming: 'live.noneUpcoming',
  replays: 'live.noneReplays',
};

function Section({ section }: { section: LiveSection }) {
  const [items, setItems] = useState<LiveRoom[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = (after: string | null) => {
    setBusy(true);
    setError(null);
    liveRooms(section, after).then(
      (page) => {
        setItems((have) => (after ? [...have, ...page.items] : page.items));
        setCursor(page.next_cursor);
        setBusy(false);
      },
      (e: unknown) => {
        setError(e);
        setBusy(false);
      },
    );
  };
  useEffect(() => load(null), [section]);

  return (
    <section aria-labelledby={`live-${section}-title`} class="live-section">
      <h2 id={`live-${section}-title`}>{t(TITLES[section])}</h2>
      <ProblemAlert error={error} />
      {items.length ? (
        <ul class="live-list" id={`live-${section}`}>
          {items.map((r) => (
            <RoomCard key={r.id} room={r} />
          ))}
        </ul>
      ) : busy ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : error ? null : (
        <p class="empty">{t(EMPTY[section])}</p>
      )}
      {cursor && (
        <button type="button" class="button button-secondary button-block" onClick={() => load(cursor)} disabled={busy}>
          {t('live.more')}
        </button>
      )}
    </section>
  );
}

export default function Live() {
  return (
    <div class="page live-page">
      <h1 id="live-heading" tabIndex={-1}>
        {t('live.title')}
      </h1>
      {LIVE_SECTIONS.map((s) => (
        <Section key={s} section={s} />
      ))}
    </div>
  );
}
