// The county officer's queue: shops waiting for verification in the regions
// the officer oversees (all of them for an administrator).
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { pendingShops, rejectShop, verifyShop } from '../../api/catalog';
import type { Shop } from '../../api/types';
import { TextAreaField } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { RegionPath, ShopBadges } from '../../components/ShopCard';
import { useSubmit } from '../../components/useSubmit';
import { useAsync } from '../../components/useAsync';
import { dateTime, t } from '../../i18n';

function QueueItem({ shop, onDecided }: { shop: Shop; onDecided: (shop: Shop, message: string) => void }) {
  const [rejecting, setRejecting] = useState(false);
  const [reason, setReason] = useState('');
  const form = useSubmit(['reason']);
  const idp = `shop-${shop.id}`;

  const verify = async () => {
    const done = await form.run(() => verifyShop(shop.id));
    if (done) onDecided(done, t('officer.verified', { name: shop.name }));
  };

  const reject = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!reason.trim()) return form.fail('reason', t('officer.reasonRequired'));
    const done = await form.run(() => rejectShop(shop.id, reason.trim()));
    if (done) onDecided(done, t('officer.rejected', { name: shop.name }));
  };

  return (
    <li class="card queue-item" data-shop-id={shop.id} aria-labelledby={`${idp}-name`}>
      <h2 id={`${idp}-name`} dir="auto">
        {shop.name}
      </h2>
      <ShopBadges shop={shop} />
      <dl class="facts">
        <div>
          <dt>{t('shop.region')}</dt>
          <dd>
            <RegionPath code={shop.region_code} />
          </dd>
        </div>
        <div>
          <dt>{t('shop.povertyReliefQuestion')}</dt>
          <dd>{shop.poverty_relief ? t('common.yes') : t('common.no')}</dd>
        </div>
        <div>
          <dt>{t('officer.appliedAt')}</dt>
          <dd>
            <time dateTime={shop.created_at} dir="auto">
              {dateTime(shop.created_at)}
            </time>
          </dd>
        </div>
      </dl>
      <ProblemAlert error={form.error} />
      {!rejecting ? (
        <div class="actions">
          <button
            type="button"
            class="button"
            data-action="verify"
            disabled={form.busy}
            onClick={() => void verify()}
            aria-label={t('officer.verifyNamed', { name: shop.name })}
          >
            {t('officer.verify')}
          </button>
          <button
            type="button"
            class="button button-secondary"
            data-action="reject"
            disabled={form.busy}
            onClick={() => setRejecting(true)}
            aria-label={t('officer.rejectNamed', { name: shop.name })}
          >
            {t('officer.reject')}
          </button>
        </div>
      ) : (
        <form class="form" onSubmit={reject} noValidate id={`${idp}-reject`}>
          <TextAreaField
            id={`${idp}-reason`}
            name="reason"
            labelKey="officer.reason"
            value={reason}
            onValue={setReason}
            error={form.fieldErrors.reason}
            required
            maxLength={200}
            rows={3}
            inputRef={form.ref('reason')}
          />
          <div class="actions">
            <button type="submit" class="button" data-action="confirm-reject" disabled={form.busy}>
              {t('officer.confirmReject')}
            </button>
            <button type="button" class="button button-secondary" onClick={() => setRejecting(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </li>
  );
}

export default function ShopQueue() {
  const [items, setItems] = useState<Shop[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const [moreError, setMoreError] = useState<unknown>(null);
  const first = useAsync(
    () =>
      pendingShops().then((page) => {
        setItems(page.items);
        setCursor(page.next_cursor);
        return true;
      }),
    [],
  );

  const loadMore = () => {
    if (!cursor) return;
    setMoreError(null);
    pendingShops(cursor).then(
      (page) => {
        setItems((have) => [...have, ...page.items.filter((s) => !have.some((h) => h.id === s.id))]);
        setCursor(page.next_cursor);
      },
      setMoreError,
    );
  };

  const decided = (shop: Shop, message: string) => {
    setItems((have) => have.filter((s) => s.id !== shop.id));
    setDone(message);
  };

  return (
    <div class="page page-narrow officer-queue">
      <h1>{t('officer.title')}</h1>
      <p class="muted">{t('officer.intro')}</p>
      <StatusMessage text={done} />
      <ProblemAlert error={first.error} id="queue-error" />
      {first.loading ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : first.error ? null : items.length ? (
        <ul class="queue" id="shop-queue">
          {items.map((s) => (
            <QueueItem key={s.id} shop={s} onDecided={decided} />
          ))}
        </ul>
      ) : (
        <p class="empty" id="queue-empty">
          {t('officer.empty')}
        </p>
      )}
      <ProblemAlert error={moreError} />
      {cursor && (
        <button type="button" class="button button-secondary button-block" onClick={loadMore}>
          {t('search.loadMore')}
        </button>
      )}
    </div>
  );
}
