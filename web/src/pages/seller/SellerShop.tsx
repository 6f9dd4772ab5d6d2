// One shop in the seller console: every product (also those off sale), with
// checkboxes to put several on or off sale at once.
import { useEffect, useState } from 'preact/hooks';
import { getShop, setOnSale, shopProducts } from '../../api/catalog';
import type { Product } from '../../api/types';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { ProductThumb } from '../../components/ProductCard';
import { RegionPath, ShopBadges } from '../../components/ShopCard';
import { useAsync } from '../../components/useAsync';
import { SellerNav } from '../../components/SellerNav';
import { useSubmit } from '../../components/useSubmit';
import { money, num, t } from '../../i18n';
import { Link } from '../../router';
import type { PageProps } from '../../routes';

const PAGE_SIZE = 100;

/** Every product of the shop, following the cursor (a shop's list is short). */
async function allProducts(shopId: string): Promise<Product[]> {
  const out: Product[] = [];
  let cursor: string | null = null;
  do {
    const page: { items: Product[]; next_cursor: string | null } = await shopProducts(shopId, cursor, PAGE_SIZE);
    out.push(...page.items);
    cursor = page.next_cursor;
  } while (cursor);
  return out;
}

export default function SellerShop({ params }: PageProps) {
  const shopId = params.id ?? '';
  const shop = useAsync(() => getShop(shopId), [shopId]);
  const products = useAsync(() => allProducts(shopId), [shopId]);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const bulk = useSubmit([]);

  useEffect(() => setSelected(new Set()), [shopId]);

  const items = products.data ?? [];
  const allChosen = items.length > 0 && items.every((p) => selected.has(p.id));

  const toggle = (productId: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(productId);
    else next.delete(productId);
    setSelected(next);
  };

  const apply = async (onSale: boolean) => {
    setDone(null);
    const ids = items.filter((p) => selected.has(p.id)).map((p) => p.id);
    if (!ids.length) return;
    const reply = await bulk.run(() => setOnSale(shopId, ids, onSale));
    if (reply) {
      products.set(items.map((p) => (selected.has(p.id) ? { ...p, on_sale: onSale } : p)));
      setSelected(new Set());
      setDone(
        onSale
          ? t('sellerShop.putOnSale', { count: ids.length })
          : t('sellerShop.tookOffSale', { count: ids.length }),
      );
    }
  };

  const s = shop.data;
  return (
    <div class="page page-narrow seller-shop" data-shop-id={shopId}>
      <p class="breadcrumb">
        <Link href="/seller">{t('seller.title')}</Link>
      </p>
      <h1 dir="auto" id="seller-shop-name">
        {s ? s.name : t('sellerShop.title')}
      </h1>
      <SellerNav shopId={shopId} />
      <ProblemAlert error={shop.error} />
      {s && (
        <div class="card">
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
            {s.status !== 'rejected' && (
              <Link href={`/seller/shops/${encodeURIComponent(shopId)}/new`} class="button" id="new-product">
                {t('sellerShop.newProduct')}
              </Link>
            )}
            {s.status === 'verified' && (
              <Link href={`/shop/${encodeURIComponent(shopId)}`} class="button button-secondary">
                {t('sellerShop.publicPage')}
              </Link>
            )}
          </div>
        </div>
      )}
      <section aria-labelledby="seller-products-title">
        <h2 id="seller-products-title">{t('sellerShop.products')}</h2>
        <ProblemAlert error={products.error} />
        <ProblemAlert error={bulk.error} id="bulk-error" />
        {products.loading && !products.data ? (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        ) : items.length === 0 ? (
          products.error ? null : <p class="empty">{t('shop.noProducts')}</p>
        ) : (
          <>
            <div class="bulk-bar" role="group" aria-label={t('sellerShop.bulk')}>
              <label class="check">
                <input
                  type="checkbox"
                  id="select-all"
                  checked={allChosen}
                  onChange={(e) => setSelected(e.currentTarget.checked ? new Set(items.map((p) => p.id)) : new Set())}
                />
                <span>{t('sellerShop.selectAll')}</span>
              </label>
              <button
                type="button"
                class="button button-small"
                id="bulk-on"
                disabled={selected.size === 0 || bulk.busy}
                onClick={() => void apply(true)}
              >
                {t('sellerShop.onSale')}
              </button>
              <button
                type="button"
                class="button button-secondary button-small"
                id="bulk-off"
                disabled={selected.size === 0 || bulk.busy}
                onClick={() => void apply(false)}
              >
                {t('sellerShop.offSale')}
              </button>
            </div>
            <StatusMessage text={done} />
            <ul class="seller-products" id="seller-products">
              {items.map((p) => (
                <li key={p.id} class="seller-product" data-product-id={p.id} data-on-sale={p.on_sale ? 'true' : 'false'}>
                  <input
                    type="checkbox"
                    id={`pick-${p.id}`}
                    checked={selected.has(p.id)}
                    onChange={(e) => toggle(p.id, e.currentTarget.checked)}
                  />
                  <label for={`pick-${p.id}`} class="seller-product-body">
                    <ProductThumb src={p.images[0]?.thumb_url ?? null} size={64} />
                    <span class="seller-product-text">
                      <span class="seller-product-title" dir="auto">
                        {p.title}
                      </span>
                      <span class="seller-product-meta">
                        {money(p.min_price_fen)} · {t('product.stock', { n: num(p.stock) })}
                      </span>
                      <span class={`badge ${p.on_sale ? '' : 'badge-muted'}`}>
                        {p.on_sale ? t('sellerShop.statusOn') : t('sellerShop.statusOff')}
                      </span>
                    </span>
                  </label>
                  <Link
                    href={`/seller/products/${encodeURIComponent(p.id)}`}
                    class="button button-secondary button-small"
                    aria-label={t('sellerShop.editNamed', { title: p.title })}
                  >
                    {t('sellerShop.edit')}
                  </Link>
                </li>
              ))}
            </ul>
          </>
        )}
      </section>
    </div>
  );
}
