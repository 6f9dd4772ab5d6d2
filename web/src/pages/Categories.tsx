// The category tree; each category opens the search filtered by it.
import { categories } from '../api/catalog';
import type { Category } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { useAsync } from '../components/useAsync';
import { localName, t } from '../i18n';
import { Link } from '../router';

const searchHref = (c: Category) => `/search?category=${encodeURIComponent(c.id)}`;

function Children({ items }: { items: Category[] }) {
  if (!items.length) return null;
  return (
    <ul class="category-children">
      {items.map((c) => (
        <li key={c.id} class={c.children.length ? 'category-branch' : undefined}>
          <Link href={searchHref(c)} class="chip" data-category-id={c.id}>
            {localName(c.names)}
          </Link>
          {c.children.length > 0 && <Children items={c.children} />}
        </li>
      ))}
    </ul>
  );
}

export default function Categories() {
  const tree = useAsync(() => categories(), []);
  return (
    <div class="page page-narrow categories">
      <h1>{t('categories.title')}</h1>
      {tree.error ? (
        <>
          <ProblemAlert error={tree.error} />
          <button type="button" class="button" onClick={tree.reload}>
            {t('common.retry')}
          </button>
        </>
      ) : tree.loading ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <ul class="category-tree" id="category-tree">
          {(tree.data ?? []).map((c) => (
            <li key={c.id} class="card category-group">
              <h2>
                <Link href={searchHref(c)} data-category-id={c.id}>
                  {localName(c.names)}
                </Link>
              </h2>
              <Children items={c.children} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
