// The home page: categories, new and best-selling products. Bundled with the
// shell (it is the first page most visitors see), so it stays small.
import { categories, searchProducts, type Sort } from '../api/catalog';
import type { Category } from '../api/types';
import { Icon } from '../components/Icon';
import { Placeholder } from '../components/Placeholder';
import { ProblemAlert } from '../components/ProblemAlert';
import { ProductGrid } from '../components/ProductCard';
import { useAsync } from '../components/useAsync';
import { localName, t, type MessageKey } from '../i18n';
import { Link } from '../router';
import { user } from '../state/session';

const HOME_LIMIT = 6;

function CategoryStrip() {
  const tree = useAsync<Category[]>(() => categories(), []);
  return (
    <section class="home-section" aria-labelledby="home-categories-title" id="home-categories">
      <div class="section-head">
        <h2 id="home-categories-title">{t('home.categories')}</h2>
        <Link href="/categories" class="section-more">
          {t('home.allCategories')}
        </Link>
      </div>
      {tree.error ? (
        <ProblemAlert error={tree.error} />
      ) : (
        <ul class="chip-strip" aria-busy={tree.loading ? 'true' : undefined}>
          {(tree.data ?? []).map((c) => (
            <li key={c.id}>
              <Link href={`/search?category=${encodeURIComponent(c.id)}`} class="chip" data-category-id={c.id}>
                {localName(c.names)}
              </Link>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function ProductSection({ id, sort, titleKey }: { id: string; sort: Sort; titleKey: MessageKey }) {
  const list = useAsync(() => searchProducts({ sort, limit: HOME_LIMIT }), [sort]);
  const items = list.data?.items ?? [];
  return (
    <section class="home-section" aria-labelledby={`${id}-title`} id={id}>
      <div class="section-head">
        <h2 id={`${id}-title`}>{t(titleKey)}</h2>
        <Link href={`/search?sort=${sort}`} class="section-more">
          {t('home.more')}
        </Link>
      </div>
      {list.error ? (
        <ProblemAlert error={list.error} />
      ) : list.loading ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : items.length ? (
        <ProductGrid products={items} />
      ) : (
        <p class="empty">{t('home.noProducts')}</p>
      )}
    </section>
  );
}

export default function Home() {
  const me = user.value;
  return (
    <div class="page home">
      <section class="hero" aria-labelledby="home-heading">
        <h1 id="home-heading">{me ? t('home.welcomeBack', { name: me.display_name }) : t('home.heading')}</h1>
        <p class="hero-text">{t('home.intro')}</p>
        <div class="hero-actions">
          <Link href="/regions" class="button button-light">
            <Icon name="pin" size={20} />
            <span>{t('home.browseRegions')}</span>
          </Link>
          {!me && (
            <Link href="/login" class="button button-outline-light">
              {t('home.login')}
            </Link>
          )}
        </div>
      </section>
      <CategoryStrip />
      <ProductSection id="home-new" sort="new" titleKey="home.newProducts" />
      <ProductSection id="home-best" sort="sales" titleKey="home.bestSelling" />
      <Placeholder id="home-live" titleKey="home.liveNow" textKey="home.liveNowSoon" icon="live" tiles={2} />
    </div>
  );
}
