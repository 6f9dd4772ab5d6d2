// A shop: its card and its products (members also see those off sale).
import { useEffect, useState } from 'preact/hooks';
import { getShop, shopProducts } from '../api/catalog';
import { ApiError } from '../api/client';
import type { Product } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { ProductGrid } from '../components/ProductCard';
import { ShopBadges, RegionPath } from '../components/ShopCard';
import { useAsync } from '../components/useAsync';
import { t } from '../i18n';
import type { PageProps } from '../routes';

const PAGE_SIZE = 20;

function Products({ shopId }: { shopId: string }) {
  const [items, setItems] = useState<Product[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<unknown>(null);

  const load = (after: string | null) => {
    setBusy(true);
    setError(null);
    shopProducts(shopId, after, PAGE_SIZE).then(
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
  useEffect(() => load(null), [shopId]);

  const cards = items.map((p) => ({
    id: p.id,
    title: p.title,
    min_price_fen: p.min_price_fen,
    stock: p.stock,
    thumb_url: p.images[0]?.thumb_url ?? null,
    on_sale: p.on_sale,
  }));
  return (
    <section aria-labelledby="shop-products-title">
      <h2 id="shop-products-title">{t('shop.products')}</h2>
      <ProblemAlert error={error} />
      {cards.length ? (
        <ProductGrid products={cards} id="shop-products" />
      ) : busy ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : error ? null : (
        <p class="empty">{t('shop.noProducts')}</p>
      )}
      {cursor && (
        <button type="button" class="button button-secondary button-block" onClick={() => load(cursor)} disabled={busy}>
          {busy ? t('common.loading') : t('search.loadMore')}
        </button>
      )}
    </section>
  );
}

export default function ShopPage({ params }: PageProps) {
  const shopId = params.id ?? '';
  const shop = useAsync(() => getShop(shopId), [shopId]);

  useEffect(() => {
    if (shop.data) document.title = `${shop.data.name} · ${t('app.name')}`;
  }, [shop.data]);

  if (shop.error) {
    const missing = shop.error instanceof ApiError && shop.error.status === 404;
    return (
      <div class="page page-narrow">
        <h1>{missing ? t('shop.notFound') : t('shop.title')}</h1>
        <ProblemAlert error={shop.error} />
      </div>
    );
  }
  if (!shop.data) {
    return (
      <div class="page">
        <h1 class="visually-hidden">{t('shop.title')}</h1>
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      </div>
    );
  }
  const s = shop.data;
  return (
    <div class="page shop-page" data-shop-id={s.id}>
      <header class="card shop-header">
        <h1 id="shop-name" dir="auto">
          {s.name}
        </h1>
        <ShopBadges shop={s} />
        <p class="shop-card-region">
          <span class="batch-label">{t('shop.region')}</span> <RegionPath code={s.region_code} id="shop-region" />
        </p>
      </header>
      <Products shopId={s.id} />
    </div>
  );
}
