// A product: pictures, the SKU picker with the chosen SKU's price and stock,
// the description (plain text, line breaks kept), the buyers' reviews, the
// shop and the traceable batches. Every text from sellers is rendered as
// text, never as markup.
import { useEffect, useRef, useState } from 'preact/hooks';
import { addToCart, MAX_CART_LINES, MAX_QUANTITY, maxQuantity } from '../api/cart';
import { categories, findCategory, getProduct, getShop } from '../api/catalog';
import { ApiError } from '../api/client';
import type { Batch, Product as ProductT, ProductImage, Shop, Sku } from '../api/types';
import { Icon } from '../components/Icon';
import { ProblemAlert } from '../components/ProblemAlert';
import { ProductReviews } from '../components/ProductReviews';
import { QuantityStepper } from '../components/QuantityStepper';
import { RegionPath, ShopCard } from '../components/ShopCard';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { localName, money, num, t } from '../i18n';
import { Link } from '../router';
import type { PageProps } from '../routes';
import { addToGuestCart } from '../state/guestCart';
import { user } from '../state/session';

/** Width and height of an image fitted into a square box (the server never upscales). */
export function fitted(image: { width: number; height: number }, box: number): { width: number; height: number } {
  const w = Math.max(1, image.width);
  const h = Math.max(1, image.height);
  const scale = Math.min(1, box / Math.max(w, h));
  return { width: Math.round(w * scale), height: Math.round(h * scale) };
}

function Gallery({ images, title }: { images: ProductImage[]; title: string }) {
  const [index, setIndex] = useState(0);
  const dialog = useRef<HTMLDialogElement>(null);
  const current = images[Math.min(index, images.length - 1)];
  if (!current) {
    return (
      <div class="gallery gallery-empty" aria-hidden="true">
        <Icon name="leaf" size={64} />
      </div>
    );
  }
  const medium = fitted(current, 720);
  const large = fitted(current, 1440);
  return (
    <div class="gallery" id="product-gallery">
      <button
        type="button"
        class="gallery-main"
        onClick={() => dialog.current?.showModal()}
        aria-label={t('product.enlarge', { n: index + 1, total: images.length })}
      >
        <img src={current.medium_url} alt={title} width={medium.width} height={medium.height} decoding="async" />
      </button>
      {images.length > 1 && (
        <ul class="gallery-thumbs">
          {images.map((img, i) => {
            const size = fitted(img, 240);
            return (
              <li key={img.hash}>
                <button
                  type="button"
                  aria-pressed={i === index ? 'true' : 'false'}
                  aria-label={t('product.showImage', { n: i + 1, total: images.length })}
                  onClick={() => setIndex(i)}
                >
                  <img src={img.thumb_url} alt="" width={size.width} height={size.height} loading="lazy" decoding="async" />
                </button>
              </li>
            );
          })}
        </ul>
      )}
      <dialog ref={dialog} class="lightbox" aria-label={title} onClick={(e) => e.target === dialog.current && dialog.current?.close()}>
        <form method="dialog">
          <button type="submit" class="button button-light lightbox-close">
            {t('common.close')}
          </button>
        </form>
        <img src={current.large_url} alt={title} width={large.width} height={large.height} loading="lazy" decoding="async" />
      </dialog>
    </div>
  );
}

function Batches({ batches }: { batches: Batch[] }) {
  if (!batches.length) return null;
  return (
    <section class="card" aria-labelledby="batches-title" id="product-batches">
      <h2 id="batches-title">{t('product.batches')}</h2>
      <ul class="batch-list">
        {batches.map((b) => (
          <li key={b.code} class="batch-item">
            <p>
              <span class="batch-label">{t('batch.code')}</span> <code class="batch-code">{b.code}</code>
            </p>
            <p>
              <span class="batch-label">{t('batch.harvestedOn')}</span> <span dir="ltr">{b.harvested_on}</span>
            </p>
            <p>
              <span class="batch-label">{t('batch.origin')}</span> <RegionPath code={b.origin_region_code} />
            </p>
            {b.certification && (
              <p>
                <span class="batch-label">{t('batch.certification')}</span> <span dir="auto">{b.certification}</span>
              </p>
            )}
            {/* The trace page is rendered by the server: a plain link, not the app's router. */}
            <a href={b.trace_url} class="trace-link">
              {t('batch.trace')}
            </a>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * Quantity and "Add to cart" for the chosen SKU: into the account's cart when
 * logged in, else into this browser's cart (merged into the account at login).
 * Keyed by the SKU, so another choice starts again at 1.
 */
function AddToCart({ product, shop, sku }: { product: ProductT; shop: Shop | null; sku: Sku | null }) {
  const [quantity, setQuantity] = useState(1);
  const [added, setAdded] = useState<number | null>(null);
  const form = useSubmit(['quantity']);
  const max = sku ? maxQuantity(sku.stock) : 0;

  const add = async () => {
    if (!sku) return;
    setAdded(null);
    if (user.value) {
      const line = await form.run(() => addToCart(sku.id, quantity));
      if (line) setAdded(line.quantity);
      return;
    }
    const result = addToGuestCart(
      {
        sku_id: sku.id,
        spec: sku.spec,
        price_fen: sku.price_fen,
        stock: sku.stock,
        weight_g: sku.weight_g,
        product_id: product.id,
        title: product.title,
        thumb_url: product.images[0]?.thumb_url ?? null,
        shop_id: product.shop_id,
        shop_name: shop?.name ?? '',
      },
      quantity,
    );
    if (result.ok) setAdded(result.line.quantity);
    else if (result.reason === 'full') form.fail('quantity', t('cart.full', { n: num(MAX_CART_LINES) }));
    else form.fail('quantity', t('cart.quantityLimit', { n: num(MAX_QUANTITY) }));
  };

  const why = !product.on_sale ? t('cart.offSale') : !sku || max < 1 ? t('cart.outOfStock') : null;
  return (
    <div class="add-to-cart" id="add-to-cart">
      {why ? (
        <p class="add-to-cart-unavailable muted" id="add-to-cart-why">
          {why}
        </p>
      ) : (
        <QuantityStepper
          id="add-quantity"
          label={t('cart.quantity')}
          value={quantity}
          max={max}
          onChange={(n) => {
            setQuantity(n);
            setAdded(null);
          }}
          error={form.fieldErrors.quantity}
          inputRef={form.ref('quantity')}
        />
      )}
      <button
        type="button"
        class="button add-to-cart-button"
        id="add-to-cart-button"
        disabled={!!why || form.busy}
        aria-busy={form.busy}
        aria-describedby={why ? 'add-to-cart-why' : undefined}
        onClick={() => void add()}
      >
        <Icon name="cart" size={20} />
        {t('cart.add')}
      </button>
      <ProblemAlert error={form.error} id="add-to-cart-error" />
      <p class="add-to-cart-done" role="status" aria-live="polite" id="add-to-cart-status">
        {added !== null && (
          <>
            {t('cart.added', { n: num(added) })} <Link href="/cart">{t('cart.view')}</Link>
          </>
        )}
      </p>
    </div>
  );
}

function ProductView({ product, shop }: { product: ProductT; shop: Shop | null }) {
  const firstInStock = product.skus.find((s) => s.stock > 0) ?? product.skus[0];
  const [skuId, setSkuId] = useState(firstInStock?.id ?? '');
  useEffect(() => setSkuId(firstInStock?.id ?? ''), [product.id]);
  const sku = product.skus.find((s) => s.id === skuId) ?? null;
  const tree = useAsync(() => categories(), []);
  const category = tree.data ? findCategory(tree.data, product.category_id) : null;

  return (
    <article class="product" data-product-id={product.id}>
      <Gallery images={product.images} title={product.title} />
      <div class="product-main">
        <h1 id="product-title" dir="auto">
          {product.title}
        </h1>
        {!product.on_sale && <p class="badge badge-muted">{t('product.offSale')}</p>}
        <p class="product-price" id="product-price" aria-live="polite">
          {money(sku ? sku.price_fen : product.min_price_fen)}
        </p>
        <p class="product-stock" id="product-stock">
          {sku ? (sku.stock > 0 ? t('product.stock', { n: num(sku.stock) }) : t('product.soldOut')) : null}
        </p>
        {product.skus.length > 0 && (
          <fieldset class="sku-picker" id="sku-picker">
            <legend>{t('product.chooseSku')}</legend>
            <div class="sku-options">
              {product.skus.map((s) => (
                <button
                  key={s.id}
                  type="button"
                  class="sku-option"
                  aria-pressed={s.id === skuId ? 'true' : 'false'}
                  data-sku-id={s.id}
                  onClick={() => setSkuId(s.id)}
                >
                  <span dir="auto">{s.spec}</span>
                  {s.stock <= 0 && <span class="sku-sold-out">{t('product.soldOut')}</span>}
                </button>
              ))}
            </div>
          </fieldset>
        )}
        <AddToCart key={sku?.id ?? ''} product={product} shop={shop} sku={sku} />
        <dl class="facts product-facts">
          {category && (
            <div>
              <dt>{t('product.category')}</dt>
              <dd>
                <Link href={`/search?category=${encodeURIComponent(category.id)}`}>{localName(category.names)}</Link>
              </dd>
            </div>
          )}
          <div>
            <dt>{t('product.origin')}</dt>
            <dd>
              <RegionPath code={product.origin_region_code} id="product-origin" />
            </dd>
          </div>
          {sku && (
            <div>
              <dt>{t('product.weight')}</dt>
              <dd>{t('product.grams', { n: num(sku.weight_g) })}</dd>
            </div>
          )}
          <div>
            <dt>{t('product.sales')}</dt>
            <dd>{num(product.sales)}</dd>
          </div>
        </dl>
      </div>
      {product.description && (
        <section class="card" aria-labelledby="description-title">
          <h2 id="description-title">{t('product.description')}</h2>
          {/* Plain text: a text node, with line breaks shown by CSS (white-space: pre-line). */}
          <p class="product-description" id="product-description" dir="auto">
            {product.description}
          </p>
        </section>
      )}
      <ProductReviews productId={product.id} />
      {shop && <ShopCard shop={shop} />}
      <Batches batches={product.batches ?? []} />
    </article>
  );
}

export default function Product({ params }: PageProps) {
  const productId = params.id ?? '';
  const data = useAsync(async () => {
    const product = await getProduct(productId);
    const shop = product.shop ?? (await getShop(product.shop_id).catch(() => null));
    return { product, shop };
  }, [productId]);

  useEffect(() => {
    if (data.data) document.title = `${data.data.product.title} · ${t('app.name')}`;
  }, [data.data]);

  if (data.error) {
    const missing = data.error instanceof ApiError && data.error.status === 404;
    return (
      <div class="page page-narrow">
        <h1>{missing ? t('product.notFound') : t('product.title')}</h1>
        <ProblemAlert error={data.error} />
        {!missing && (
          <button type="button" class="button" onClick={data.reload}>
            {t('common.retry')}
          </button>
        )}
      </div>
    );
  }
  if (!data.data) {
    return (
      <div class="page">
        <h1 class="visually-hidden">{t('product.title')}</h1>
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      </div>
    );
  }
  return (
    <div class="page product-page">
      <ProductView product={data.data.product} shop={data.data.shop} />
    </div>
  );
}
