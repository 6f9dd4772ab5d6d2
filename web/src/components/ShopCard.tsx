// A shop at a glance: name, kind, where it is, the poverty-relief badge.
import { pathText, regionWithPath } from '../api/regions';
import type { Shop } from '../api/types';
import { t } from '../i18n';
import { Link } from '../router';
import { shopKindLabel, shopStatusLabel } from './labels';
import { useAsync } from './useAsync';

/** The region's full path, or its code until (or unless) the region API answers. */
export function RegionPath({ code, id }: { code: string; id?: string }) {
  const region = useAsync(() => regionWithPath(code), [code]);
  return (
    <span class="region-path-text" id={id} data-region-code={code}>
      {region.data ? pathText(region.data) : <span dir="ltr">{code}</span>}
    </span>
  );
}

export function ShopBadges({ shop }: { shop: Shop }) {
  return (
    <span class="badges">
      <span class="badge badge-neutral">{shopKindLabel(shop.kind)}</span>
      {shop.poverty_relief && <span class="badge badge-relief">{t('shop.povertyRelief')}</span>}
      {shop.status !== 'verified' && (
        <span class={`badge badge-status-${shop.status}`} data-status={shop.status}>
          {shopStatusLabel(shop.status)}
        </span>
      )}
    </span>
  );
}

export function ShopCard({ shop, link = true, headingLevel = 2 }: { shop: Shop; link?: boolean; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? 'h2' : 'h3';
  return (
    <section class="card shop-card" aria-label={t('shop.cardLabel')} data-shop-id={shop.id}>
      <H class="shop-card-name" dir="auto">
        {link ? <Link href={`/shop/${encodeURIComponent(shop.id)}`}>{shop.name}</Link> : shop.name}
      </H>
      <ShopBadges shop={shop} />
      <p class="shop-card-region">
        <span class="visually-hidden">{t('shop.region')}</span>
        <RegionPath code={shop.region_code} />
      </p>
      {link && (
        <Link href={`/shop/${encodeURIComponent(shop.id)}`} class="button button-secondary button-small">
          {t('shop.visit')}
        </Link>
      )}
    </section>
  );
}
