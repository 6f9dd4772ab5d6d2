// Search results: the query from the top bar, filters from the facets (kept
// in the address, so a result page can be shared), a sort order and pages
// that continue from the server's cursor.
import type { TargetedEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { categories, findCategory, searchProducts, SORTS, type SearchParams, type Sort } from '../api/catalog';
import type { Category, ProductSummary, SearchFacets } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { ProductGrid } from '../components/ProductCard';
import { shopKindLabel, SORT_KEYS } from '../components/labels';
import { localName, money, num, t } from '../i18n';
import { navigate } from '../router';
import type { PageProps } from '../routes';

const PAGE_SIZE = 20;
/** The filters a facet chip sets; all live in the address. */
const FILTERS = ['category', 'region', 'shop_kind', 'min_price_fen', 'max_price_fen'] as const;

function paramsOf(query: URLSearchParams): SearchParams {
  const sort = query.get('sort') ?? '';
  const out: SearchParams = {
    q: query.get('q')?.trim() ?? '',
    sort: (SORTS as readonly string[]).includes(sort) ? (sort as Sort) : undefined,
    limit: PAGE_SIZE,
  };
  for (const f of FILTERS) out[f] = query.get(f) ?? '';
  return out;
}

/** Band limits are whole yuan: "¥50" reads better on a chip than "¥50.00". */
const yuan = (fen: number) => money(fen).replace(/\.00$/, '');

interface Chip {
  id: string;
  label: string;
  count: number | null;
  pressed: boolean;
  /** "ltr" for labels of numbers alone (price ranges), which would reorder in right-to-left text. */
  dir?: 'ltr';
  /** The address parameters this chip sets (or clears, when pressed). */
  set: Record<string, string>;
}

function FacetGroup({ id, title, chips, onToggle }: { id: string; title: string; chips: Chip[]; onToggle: (c: Chip) => void }) {
  if (!chips.length) return null;
  return (
    <div class="facet-group" role="group" aria-labelledby={`${id}-label`} id={id}>
      <h3 id={`${id}-label`} class="facet-title">
        {title}
      </h3>
      <ul class="chip-row">
        {chips.map((c) => (
          <li key={c.id}>
            <button
              type="button"
              class="chip chip-toggle"
              aria-pressed={c.pressed ? 'true' : 'false'}
              data-facet={c.id}
              onClick={() => onToggle(c)}
            >
              <span dir={c.dir ?? 'auto'}>{c.label}</span>
              {c.count !== null && <span class="chip-count">{num(c.count)}</span>}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}

function chipsFor(facets: SearchFacets | undefined, params: SearchParams, tree: Category[]): Record<string, Chip[]> {
  const f = facets ?? {};
  const category: Chip[] = (f.category ?? []).map((c) => ({
    id: `category-${c.key}`,
    label: localName(c.names),
    count: c.count,
    pressed: params.category === c.key,
    set: { category: c.key },
  }));
  // A chosen filter stays visible (to be cleared) even when the server no longer lists it.
  if (params.category && !category.some((c) => c.pressed)) {
    const known = findCategory(tree, params.category);
    category.unshift({
      id: `category-${params.category}`,
      label: known ? localName(known.names) : params.category,
      count: null,
      pressed: true,
      set: { category: params.category },
    });
  }
  const township: Chip[] = (f.township ?? []).map((c) => ({
    id: `region-${c.key}`,
    label: c.name,
    count: c.count,
    pressed: params.region === c.key,
    set: { region: c.key },
  }));
  if (params.region && !township.some((c) => c.pressed)) {
    township.unshift({ id: `region-${params.region}`, label: params.region, count: null, pressed: true, set: { region: params.region } });
  }
  const price: Chip[] = (f.price_band ?? []).map((b) => {
    const min = String(b.min_fen);
    const max = b.max_fen === null ? '' : String(b.max_fen);
    return {
      id: `price-${b.key}`,
      label:
        b.max_fen === null
          ? t('search.priceAbove', { min: yuan(b.min_fen) })
          : t('search.priceRange', { min: yuan(b.min_fen), max: yuan(b.max_fen) }),
      count: b.count,
      dir: b.max_fen === null ? undefined : 'ltr',
      pressed: (params.min_price_fen ?? '') === min && (params.max_price_fen ?? '') === max,
      set: { min_price_fen: min, max_price_fen: max },
    };
  });
  if ((params.min_price_fen || params.max_price_fen) && !price.some((c) => c.pressed)) {
    const min = params.min_price_fen ?? '';
    const max = params.max_price_fen ?? '';
    price.unshift({
      id: 'price-chosen',
      label: t('search.priceChosen'),
      count: null,
      pressed: true,
      set: { min_price_fen: min, max_price_fen: max },
    });
  }
  const kind: Chip[] = (f.shop_kind ?? []).map((k) => ({
    id: `shop_kind-${k.key}`,
    label: shopKindLabel(k.key),
    count: k.count,
    pressed: params.shop_kind === k.key,
    set: { shop_kind: k.key },
  }));
  if (params.shop_kind && !kind.some((c) => c.pressed)) {
    kind.unshift({
      id: `shop_kind-${params.shop_kind}`,
      label: shopKindLabel(params.shop_kind),
      count: null,
      pressed: true,
      set: { shop_kind: params.shop_kind },
    });
  }
  return { category, township, price, kind };
}

export default function Search({ query }: PageProps) {
  const params = paramsOf(query);
  const key = JSON.stringify(params);
  const [items, setItems] = useState<ProductSummary[]>([]);
  const [facets, setFacets] = useState<SearchFacets | undefined>(undefined);
  const [cursor, setCursor] = useState<string | null>(null);
  const [total, setTotal] = useState<number | null>(null);
  const [loading, setLoading] = useState(true);
  const [more, setMore] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [tree, setTree] = useState<Category[]>([]);
  const generation = useRef(0);
  // Open at first when the address already filters; afterwards as the visitor leaves it.
  const [filtersOpen, setFiltersOpen] = useState(
    () => FILTERS.some((f) => !!query.get(f)),
  );

  useEffect(() => {
    categories().then(setTree, () => setTree([]));
  }, []);

  const load = () => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    searchProducts(params).then(
      (reply) => {
        if (gen !== generation.current) return;
        setItems(reply.items);
        setFacets(reply.facets);
        setCursor(reply.next_cursor);
        setTotal(typeof reply.total === 'number' ? reply.total : null);
        setLoading(false);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setItems([]);
        setCursor(null);
        setTotal(null);
        setError(e);
        setLoading(false);
      },
    );
  };
  useEffect(load, [key]);

  const loadMore = () => {
    if (!cursor) return;
    const gen = generation.current;
    setMore(true);
    setError(null);
    searchProducts({ ...params, cursor }).then(
      (reply) => {
        if (gen !== generation.current) return;
        // A product can move between pages while shops edit; show it once.
        setItems((have) => {
          const seen = new Set(have.map((p) => p.id));
          return [...have, ...reply.items.filter((p) => !seen.has(p.id))];
        });
        setCursor(reply.next_cursor);
        setMore(false);
      },
      (e: unknown) => {
        if (gen !== generation.current) return;
        setError(e);
        setMore(false);
      },
    );
  };

  const update = (set: Record<string, string>) => {
    const next = new URLSearchParams(query);
    for (const [k, v] of Object.entries(set)) {
      if (v) next.set(k, v);
      else next.delete(k);
    }
    next.delete('cursor');
    const qs = next.toString();
    navigate(`/search${qs ? `?${qs}` : ''}`, { quiet: true });
  };

  const toggle = (chip: Chip) => {
    const set: Record<string, string> = {};
    // A price band sets both bounds (an open-ended one clears the upper bound).
    for (const [k, v] of Object.entries(chip.set)) set[k] = chip.pressed ? '' : v;
    update(set);
  };

  const onSort = (e: TargetedEvent<HTMLSelectElement>) => update({ sort: e.currentTarget.value });

  const q = params.q ?? '';
  const chosenCategory = params.category ? findCategory(tree, params.category) : null;
  const heading = q
    ? t('search.resultsFor', { q })
    : chosenCategory
      ? localName(chosenCategory.names)
      : t('search.title');
  const chips = chipsFor(facets, params, tree);
  const active =
    ['category', 'region', 'shop_kind'].filter((f) => params[f as keyof SearchParams]).length +
    (params.min_price_fen || params.max_price_fen ? 1 : 0);

  return (
    <div class="page search-page">
      <h1>{heading}</h1>
      <div class="search-tools">
        <details
          class="filters"
          id="search-filters"
          open={filtersOpen}
          onToggle={(e) => setFiltersOpen(e.currentTarget.open)}
        >
          <summary>
            {active ? t('search.filtersActive', { count: active }) : t('search.filters')}
          </summary>
          <div class="filters-body">
            <FacetGroup id="facet-category" title={t('search.facet.category')} chips={chips.category!} onToggle={toggle} />
            <FacetGroup id="facet-township" title={t('search.facet.township')} chips={chips.township!} onToggle={toggle} />
            <FacetGroup id="facet-price" title={t('search.facet.price')} chips={chips.price!} onToggle={toggle} />
            <FacetGroup id="facet-shop-kind" title={t('search.facet.shopKind')} chips={chips.kind!} onToggle={toggle} />
            {active > 0 && (
              <button
                type="button"
                class="button button-secondary button-small"
                id="search-clear"
                onClick={() => update(Object.fromEntries(FILTERS.map((f) => [f, ''])))}
              >
                {t('search.clearFilters')}
              </button>
            )}
          </div>
        </details>
        <div class="field field-inline">
          <label for="search-sort">{t('search.sort')}</label>
          <select id="search-sort" value={params.sort ?? 'relevance'} onChange={onSort}>
            {SORTS.map((s) => (
              <option key={s} value={s}>
                {t(SORT_KEYS[s]!)}
              </option>
            ))}
          </select>
        </div>
      </div>
      <p class={loading || total !== null ? 'search-count' : 'visually-hidden'} role="status" aria-live="polite" id="search-count">
        {loading
          ? t('common.loading')
          : total !== null
            ? t('search.total', { count: num(total) })
            : t('search.shown', { count: items.length })}
      </p>
      <ProblemAlert error={error} id="search-error" />
      {loading ? null : items.length ? (
        <ProductGrid products={items} id="search-results" />
      ) : error ? null : (
        <p class="empty" id="search-empty">
          {t('search.noResults')}
        </p>
      )}
      {cursor && !loading && (
        <button type="button" class="button button-secondary button-block" id="search-more" onClick={loadMore} disabled={more} aria-busy={more}>
          {more ? t('common.loading') : t('search.loadMore')}
        </button>
      )}
    </div>
  );
}
