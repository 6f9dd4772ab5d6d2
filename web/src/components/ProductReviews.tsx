// A product's reviews: the average in stars and figures, how many, and the
// reviews newest first (buyer's name masked by the server, spec, stars, text,
// date), with "more" by cursor.
import { useEffect, useRef, useState } from 'preact/hooks';
import { productReviews } from '../api/aftersale';
import type { Review } from '../api/types';
import { num, t } from '../i18n';
import { ReviewList } from './OrderParts';
import { ProblemAlert } from './ProblemAlert';
import { Stars } from './Stars';

interface State {
  count: number;
  average: number;
  items: Review[];
  cursor: string | null;
}

export function ProductReviews({ productId }: { productId: string }) {
  const [state, setState] = useState<State | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const generation = useRef(0);

  const load = async (from: string | null) => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await productReviews(productId, from);
      if (gen !== generation.current) return;
      setState((have) => ({
        count: page.count,
        average: page.average,
        items: from && have ? [...have.items, ...page.items] : page.items,
        cursor: page.next_cursor,
      }));
    } catch (e) {
      if (gen === generation.current) setError(e);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    setState(null);
    void load(null);
  }, [productId]);

  return (
    <section class="card product-reviews" aria-labelledby="reviews-title" id="product-reviews">
      <h2 id="reviews-title">{t('reviews.productTitle')}</h2>
      <ProblemAlert error={error} id="product-reviews-error" />
      {!state ? (
        error ? (
          <button type="button" class="button button-secondary" onClick={() => void load(null)}>
            {t('common.retry')}
          </button>
        ) : (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        )
      ) : state.count === 0 ? (
        <p class="muted" id="product-reviews-none">
          {t('reviews.none')}
        </p>
      ) : (
        <>
          <p class="reviews-summary" id="product-reviews-summary" data-count={state.count} data-average={state.average}>
            <Stars rating={state.average} />{' '}
            <span class="reviews-average" id="product-reviews-average">
              {num(state.average, { minimumFractionDigits: 1, maximumFractionDigits: 1 })}
            </span>{' '}
            <span class="muted" id="product-reviews-count">
              {t('reviews.count', { n: num(state.count) })}
            </span>
          </p>
          <ReviewList reviews={state.items} id="product-review-list" />
          {state.cursor && (
            <button
              type="button"
              class="button button-secondary"
              id="product-reviews-more"
              disabled={loading}
              aria-busy={loading}
              onClick={() => void load(state.cursor)}
            >
              {loading ? t('common.loading') : t('reviews.more')}
            </button>
          )}
        </>
      )}
    </section>
  );
}
