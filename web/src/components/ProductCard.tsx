// A product in a list: picture (or a drawn placeholder), title, price, shop.
import { money, t } from '../i18n';
import { Link } from '../router';
import { Icon } from './Icon';

export interface CardProduct {
  id: string;
  title: string;
  min_price_fen: number;
  stock?: number;
  shop_name?: string;
  thumb_url: string | null;
  on_sale?: boolean;
}

/** The thumbnail box is square; the picture is fitted inside it (object-fit). */
const THUMB = 240;

export function ProductThumb({ src, size = THUMB }: { src: string | null; size?: number }) {
  if (!src) {
    return (
      <span class="thumb thumb-empty" aria-hidden="true">
        <Icon name="leaf" size={32} />
      </span>
    );
  }
  return <img class="thumb" src={src} alt="" width={size} height={size} loading="lazy" decoding="async" />;
}

export function ProductCard({ product }: { product: CardProduct }) {
  const soldOut = product.stock !== undefined && product.stock <= 0;
  return (
    <li class="product-card">
      <Link href={`/product/${encodeURIComponent(product.id)}`} class="product-card-link" data-product-id={product.id}>
        <ProductThumb src={product.thumb_url} />
        <span class="product-card-title" dir="auto">
          {product.title}
        </span>
        <span class="product-card-price">
          {money(product.min_price_fen)}
          {soldOut && <span class="badge badge-muted">{t('product.soldOut')}</span>}
        </span>
        {product.shop_name && (
          <span class="product-card-shop" dir="auto">
            {product.shop_name}
          </span>
        )}
      </Link>
    </li>
  );
}

export function ProductGrid({ products, id }: { products: CardProduct[]; id?: string }) {
  return (
    <ul class="product-grid" id={id}>
      {products.map((p) => (
        <ProductCard key={p.id} product={p} />
      ))}
    </ul>
  );
}
