// The seller console's pages of one shop: products, orders, the refunds
// waiting for a decision, shipping fees, coupons and live rooms. The current one is
// marked for assistive tech with aria-current.
import { getShop } from '../api/catalog';
import { t, type MessageKey } from '../i18n';
import { Link, location } from '../router';
import { useAsync } from './useAsync';

export interface SellerSection {
  /** The path under /seller/shops/:id ('' for the products). */
  suffix: string;
  labelKey: MessageKey;
}

export const SELLER_SECTIONS: SellerSection[] = [
  { suffix: '', labelKey: 'sellerNav.products' },
  { suffix: '/orders', labelKey: 'sellerNav.orders' },
  { suffix: '/refunds', labelKey: 'sellerNav.refunds' },
  { suffix: '/shipping', labelKey: 'sellerNav.shipping' },
  { suffix: '/coupons', labelKey: 'sellerNav.coupons' },
  { suffix: '/live', labelKey: 'sellerNav.live' },
];

export function sellerShopPath(shopId: string, suffix = ''): string {
  return `/seller/shops/${encodeURIComponent(shopId)}${suffix}`;
}

export function SellerNav({ shopId }: { shopId: string }) {
  const path = location.value.path;
  return (
    <nav class="seller-nav" aria-label={t('sellerNav.label')}>
      <ul class="chip-strip" id="seller-nav">
        {SELLER_SECTIONS.map((s) => {
          const href = sellerShopPath(shopId, s.suffix);
          const current = path === href;
          return (
            <li key={s.suffix}>
              <Link
                href={href}
                class="chip chip-toggle"
                aria-current={current ? 'page' : undefined}
                data-section={s.suffix.slice(1) || 'products'}
              >
                {t(s.labelKey)}
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** The top of a seller page of one shop: the way back, the page's title with the shop's name, the sections. */
export function SellerShopHead({ shopId, titleKey }: { shopId: string; titleKey: MessageKey }) {
  const shop = useAsync(() => getShop(shopId), [shopId]);
  const shopName = shop.data?.name;
  return (
    <>
      <p class="breadcrumb">
        <Link href="/seller">{t('seller.title')}</Link>
      </p>
      <h1 id="seller-page-title" tabIndex={-1}>
        {t(titleKey)}
      </h1>
      {shopName && (
        <p class="muted seller-page-shop" dir="auto" id="seller-page-shop">
          {shopName}
        </p>
      )}
      <SellerNav shopId={shopId} />
    </>
  );
}
