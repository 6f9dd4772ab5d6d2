// The seller console's start: my shops with their verification status, and
// the form to apply for a new shop.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { applyForShop, myShops, SHOP_KINDS } from '../../api/catalog';
import type { Region, Shop, ShopKind } from '../../api/types';
import { Field, SelectField } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { RegionPicker } from '../../components/RegionPicker';
import { RegionPath, ShopBadges } from '../../components/ShopCard';
import { SHOP_KIND_KEYS } from '../../components/labels';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { t } from '../../i18n';
import { Link } from '../../router';

function ShopList({ shops }: { shops: Shop[] }) {
  if (!shops.length) return <p class="empty">{t('seller.noShops')}</p>;
  return (
    <ul class="shop-list" id="my-shops">
      {shops.map((s) => (
        <li key={s.id} class="card shop-row" data-shop-id={s.id} data-status={s.status}>
          <h3 dir="auto">{s.name}</h3>
          <ShopBadges shop={s} />
          <p class="shop-card-region">
            <RegionPath code={s.region_code} />
          </p>
          {s.status === 'pending' && <p class="muted">{t('seller.pendingHint')}</p>}
          {s.status === 'rejected' && (
            <p class="reject-reason">
              <span class="batch-label">{t('seller.rejectReason')}</span> <span dir="auto">{s.reject_reason}</span>
            </p>
          )}
          <div class="actions">
            <Link href={`/seller/shops/${encodeURIComponent(s.id)}`} class="button button-small" data-manage-shop={s.id}>
              {t('seller.manage')}
            </Link>
            {s.status === 'verified' && (
              <>
                <Link
                  href={`/seller/shops/${encodeURIComponent(s.id)}/orders?status=paid`}
                  class="button button-secondary button-small"
                  data-shop-orders={s.id}
                  aria-label={t('seller.ordersOf', { name: s.name })}
                >
                  {t('seller.orders')}
                </Link>
                <Link
                  href={`/seller/shops/${encodeURIComponent(s.id)}/refunds`}
                  class="button button-secondary button-small"
                  data-shop-refunds={s.id}
                  aria-label={t('seller.refundsOf', { name: s.name })}
                >
                  {t('seller.refunds')}
                </Link>
              </>
            )}
          </div>
        </li>
      ))}
    </ul>
  );
}

function ApplyForm({ onApplied }: { onApplied: (shop: Shop) => void }) {
  const [name, setName] = useState('');
  const [kind, setKind] = useState<ShopKind>('farmer');
  const [region, setRegion] = useState<Region | null>(null);
  const [relief, setRelief] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  // The picker starts afresh after a successful application.
  const [pickerKey, setPickerKey] = useState(0);
  const form = useSubmit(['name', 'kind', 'region_code', 'poverty_relief']);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    if (!name.trim()) return form.fail('name', t('form.required', { field: t('seller.shopName') }));
    if (!region || (region.level !== 'township' && region.level !== 'village')) {
      return form.fail('region_code', t('seller.regionLevel'));
    }
    const shop = await form.run(() =>
      applyForShop({ name: name.trim(), kind, region_code: region.code, poverty_relief: relief }),
    );
    if (shop) {
      onApplied(shop);
      setName('');
      setRelief(false);
      setRegion(null);
      setPickerKey((k) => k + 1);
      setDone(t('seller.applied'));
    }
  };

  return (
    <section class="card" aria-labelledby="apply-title">
      <h2 id="apply-title">{t('seller.apply')}</h2>
      <p class="muted">{t('seller.applyIntro')}</p>
      <form id="apply-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="apply-error" />
        <Field
          id="shop-name"
          name="name"
          labelKey="seller.shopName"
          value={name}
          onValue={setName}
          error={form.fieldErrors.name}
          required
          maxLength={40}
          inputRef={form.ref('name')}
          dir="auto"
        />
        <SelectField
          id="shop-kind"
          name="kind"
          labelKey="seller.shopKind"
          value={kind}
          onValue={(v) => setKind(v as ShopKind)}
          error={form.fieldErrors.kind}
          required
          inputRef={form.ref('kind')}
        >
          {SHOP_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(SHOP_KIND_KEYS[k])}
            </option>
          ))}
        </SelectField>
        <div class={form.fieldErrors.region_code ? 'field-invalid' : undefined}>
          <RegionPicker
            key={pickerKey}
            id="shop-region"
            legendKey="seller.shopRegion"
            onChange={(r) => setRegion(r)}
          />
          <p class="field-hint">{t('seller.regionHint')}</p>
          {form.fieldErrors.region_code && (
            <p class="field-error" id="shop-region-error" role="alert">
              {form.fieldErrors.region_code}
            </p>
          )}
        </div>
        <label class="check">
          <input
            type="checkbox"
            id="shop-relief"
            name="poverty_relief"
            checked={relief}
            onChange={(e) => setRelief(e.currentTarget.checked)}
          />
          <span>{t('seller.povertyRelief')}</span>
        </label>
        <button type="submit" class="button" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('seller.applySubmit')}
        </button>
        <StatusMessage text={done} />
      </form>
    </section>
  );
}

export default function SellerHome() {
  const shops = useAsync(() => myShops().then((p) => p.items), []);
  return (
    <div class="page page-narrow seller">
      <h1>{t('seller.title')}</h1>
      <section aria-labelledby="my-shops-title">
        <h2 id="my-shops-title">{t('seller.myShops')}</h2>
        <ProblemAlert error={shops.error} />
        {shops.loading && !shops.data ? (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        ) : (
          shops.data && <ShopList shops={shops.data} />
        )}
      </section>
      <ApplyForm onApplied={(shop) => shops.set([...(shops.data ?? []), shop])} />
    </div>
  );
}
