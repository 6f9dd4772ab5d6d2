// One order of the buyer's: the items, the sums, where it goes, when an
// unpaid one lapses, cancelling an unpaid one with a confirm step in place;
// after the payment the parcel, "confirm receipt" once shipped, refunds (the
// form and the list with the seller's answers) and a review per item once
// delivered; and the history.
import type { TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import {
  addReview,
  confirmReceipt,
  MAX_REFUND_REASON,
  MAX_REVIEW_TEXT,
  orderDetails,
  requestRefund,
} from '../api/aftersale';
import { cancelOrder, newIdempotencyKey } from '../api/orders';
import type { Order, OrderDetails, OrderItem, Review } from '../api/types';
import { Field, TextAreaField } from '../components/Field';
import {
  AwaitingPayment,
  OrderLines,
  OrderSums,
  Parcel,
  RefundList,
  ReviewList,
  ShipTo,
  StatusBadge,
  Timeline,
} from '../components/OrderParts';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { StarInput } from '../components/Stars';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { dateTime, money, t } from '../i18n';
import { fenToYuanText, parseYuan } from '../money.js';
import { Link } from '../router';
import type { PageProps } from '../routes';

function CancelOrder({ order, onCancelled }: { order: Order; onCancelled: (o: Order) => void }) {
  const [confirming, setConfirming] = useState(false);
  const action = useSubmit([]);
  const cancel = async () => {
    const done = await action.run(() => cancelOrder(order.id));
    if (done) {
      setConfirming(false);
      onCancelled(done);
    }
  };
  return (
    <>
      <ProblemAlert error={action.error} id="order-cancel-error" />
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="order-cancel-question">
          <p id="order-cancel-question">{t('orders.cancelQuestion')}</p>
          <div class="actions">
            <button
              type="button"
              class="button button-danger button-small"
              id="order-cancel-confirm"
              disabled={action.busy}
              aria-busy={action.busy}
              onClick={() => void cancel()}
            >
              {action.busy ? t('common.working') : t('orders.confirmCancel')}
            </button>
            <button
              type="button"
              class="button button-secondary button-small"
              id="order-cancel-keep"
              onClick={() => setConfirming(false)}
            >
              {t('orders.keep')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="button button-secondary" id="order-cancel" onClick={() => setConfirming(true)}>
            {t('orders.cancel')}
          </button>
        </div>
      )}
    </>
  );
}

/** A shipped order: the buyer says it arrived, after a confirm step in place. */
function ConfirmReceipt({ order, onDone }: { order: Order; onDone: (o: Order) => void }) {
  const [confirming, setConfirming] = useState(false);
  const action = useSubmit([]);
  const confirm = async () => {
    const done = await action.run(() => confirmReceipt(order.id));
    if (done) {
      setConfirming(false);
      onDone(done);
    }
  };
  return (
    <>
      <ProblemAlert error={action.error} id="order-receipt-error" />
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby="order-receipt-question">
          <p id="order-receipt-question">{t('receipt.question')}</p>
          <div class="actions">
            <button
              type="button"
              class="button button-small"
              id="order-receipt-confirm"
              disabled={action.busy}
              aria-busy={action.busy}
              onClick={() => void confirm()}
            >
              {action.busy ? t('common.working') : t('receipt.yes')}
            </button>
            <button
              type="button"
              class="button button-secondary button-small"
              id="order-receipt-keep"
              onClick={() => setConfirming(false)}
            >
              {t('receipt.notYet')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button type="button" class="button" id="order-receipt" onClick={() => setConfirming(true)}>
            {t('receipt.button')}
          </button>
        </div>
      )}
    </>
  );
}

/**
 * Asks for money back: the amount (all that can still be refunded, unless
 * changed) and why. One Idempotency-Key per form: a repeated press after a lost
 * answer is the same request; after a success the form starts afresh.
 */
function RefundForm({ order, onDone }: { order: Order; onDone: (o: Order) => void }) {
  const refundable = order.refundable_fen ?? 0;
  const [amount, setAmount] = useState(fenToYuanText(refundable));
  const [reason, setReason] = useState('');
  const key = useRef(newIdempotencyKey());
  const form = useSubmit(['amount_fen', 'reason'], null, { amount_too_large: 'amount_fen' });

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fen = parseYuan(amount);
    const errors: Record<string, string> = {};
    if (fen === null || fen <= 0) errors.amount_fen = t('refunds.amountInvalid');
    if (!reason.trim()) errors.reason = t('form.required', { field: t('refunds.reason') });
    if (Object.keys(errors).length) return form.failMany(errors);
    const outcome = await form.run(() => requestRefund(key.current, order.id, fen!, reason.trim()));
    if (outcome) onDone(outcome.order);
  };

  return (
    <form id="refund-form" class="form" onSubmit={submit} noValidate>
      <p class="muted">
        {order.status === 'paid' ? t('refunds.beforeShipping') : t('refunds.afterShipping')}
      </p>
      <ProblemAlert error={form.error} id="refund-error" />
      <Field
        id="refund-amount"
        name="amount_fen"
        labelKey="refunds.amount"
        hintKey="refunds.amountHint"
        value={amount}
        onValue={setAmount}
        error={form.fieldErrors.amount_fen}
        required
        inputMode="decimal"
        dir="ltr"
        inputRef={form.ref('amount_fen')}
      />
      <p class="field-hint" id="refund-refundable" data-fen={refundable}>
        {t('refunds.refundable', { amount: money(refundable) })}
      </p>
      <TextAreaField
        id="refund-reason"
        name="reason"
        labelKey="refunds.reason"
        value={reason}
        onValue={setReason}
        error={form.fieldErrors.reason}
        required
        maxLength={MAX_REFUND_REASON}
        rows={3}
        inputRef={form.ref('reason')}
      />
      <button type="submit" class="button" id="refund-submit" disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? t('common.working') : t('refunds.submit')}
      </button>
    </form>
  );
}

function Refunds({ details, onOrder }: { details: OrderDetails; onOrder: (o: Order) => void }) {
  const [open, setOpen] = useState(false);
  // A new form (and a new Idempotency-Key) for every request.
  const [formKey, setFormKey] = useState(0);
  const [done, setDone] = useState<string | null>(null);
  const canAsk =
    (details.status === 'paid' || details.status === 'shipped' || details.status === 'delivered') &&
    (details.refundable_fen ?? 0) > 0;
  if (!canAsk && !details.refunds.length && details.status !== 'refunding') return null;
  return (
    <section class="card" aria-labelledby="refunds-title" id="order-refunds-section">
      <h2 id="refunds-title">{t('refunds.title')}</h2>
      <StatusMessage text={done} />
      {details.status === 'refunding' && (
        <p class="muted" id="refund-waiting">
          {t('refunds.waiting')}
        </p>
      )}
      {(details.refunded_fen ?? 0) > 0 && (
        <p id="order-refunded" data-fen={details.refunded_fen}>
          {t('refunds.refundedSoFar', { amount: money(details.refunded_fen ?? 0) })}
        </p>
      )}
      <RefundList refunds={details.refunds} />
      {canAsk &&
        (open ? (
          <RefundForm
            key={formKey}
            order={details}
            onDone={(o) => {
              setOpen(false);
              setFormKey((k) => k + 1);
              setDone(o.status === 'refunding' ? t('refunds.sent') : t('refunds.approvedAtOnce'));
              onOrder(o);
            }}
          />
        ) : (
          <div class="actions">
            <button
              type="button"
              class="button button-secondary"
              id="refund-open"
              onClick={() => {
                setDone(null);
                setOpen(true);
              }}
            >
              {t('refunds.ask')}
            </button>
          </div>
        ))}
    </section>
  );
}

/** A review of one item: stars (required) and words (optional). */
function ReviewForm({ order, item, onDone }: { order: Order; item: OrderItem; onDone: (r: Review[]) => void }) {
  const [rating, setRating] = useState(0);
  const [text, setText] = useState('');
  const form = useSubmit(['rating', 'text']);
  const p = `review-${item.sku_id}`;

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (rating < 1) return form.fail('rating', t('reviews.chooseStars'));
    const reply = await form.run(() => addReview(order.id, item.sku_id, rating, text.trim()));
    if (reply) onDone(reply.reviews);
  };

  return (
    <form
      class="form review-form"
      id={`${p}-form`}
      data-sku-id={item.sku_id}
      onSubmit={submit}
      noValidate
      aria-labelledby={`${p}-title`}
    >
      <h3 id={`${p}-title`} dir="auto">
        {item.title}
        {item.spec && <span class="muted"> ({item.spec})</span>}
      </h3>
      <ProblemAlert error={form.error} id={`${p}-error`} />
      <StarInput
        id={`${p}-rating`}
        name={`${p}-rating`}
        legendKey="reviews.rating"
        value={rating}
        onValue={setRating}
        error={form.fieldErrors.rating}
        inputRef={form.ref('rating')}
      />
      <TextAreaField
        id={`${p}-text`}
        name="text"
        labelKey="reviews.text"
        value={text}
        onValue={setText}
        error={form.fieldErrors.text}
        maxLength={MAX_REVIEW_TEXT}
        rows={3}
        inputRef={form.ref('text')}
      />
      <button type="submit" class="button" id={`${p}-submit`} disabled={form.busy} aria-busy={form.busy}>
        {form.busy ? t('common.working') : t('reviews.submit')}
      </button>
    </form>
  );
}

function Reviews({ details, onReviews }: { details: OrderDetails; onReviews: (r: Review[]) => void }) {
  const open = details.status === 'delivered' || details.status === 'completed';
  if (!open && !details.reviews.length) return null;
  const reviewed = new Set(details.reviews.map((r) => r.sku_id));
  const waiting = open ? details.items.filter((i) => !reviewed.has(i.sku_id)) : [];
  return (
    <section class="card" aria-labelledby="reviews-title" id="order-reviews-section">
      <h2 id="reviews-title">{t('reviews.title')}</h2>
      {waiting.map((item) => (
        <ReviewForm key={item.sku_id} order={details} item={item} onDone={onReviews} />
      ))}
      {details.reviews.length > 0 && (
        <>
          <h3>{t('reviews.given')}</h3>
          <ReviewList reviews={details.reviews} id="order-reviews" />
        </>
      )}
    </section>
  );
}

export default function OrderDetail({ params }: PageProps) {
  const id = params.id ?? '';
  const data = useAsync(() => orderDetails(id), [id]);
  const [message, setMessage] = useState<string | null>(null);
  const o = data.data;

  /** An action answered with the order: keep the refunds and reviews, take the new order. */
  const update = (order: Order, text: string | null, reload = false) => {
    if (o) data.set({ ...o, ...order });
    setMessage(text);
    document.getElementById('order-heading')?.focus();
    // The refunds list changed on the server as well.
    if (reload) data.reload();
  };

  return (
    <div class="page page-narrow order-page">
      <h1 id="order-heading" tabIndex={-1}>
        {t('orders.detailTitle')}
      </h1>
      <StatusMessage text={message} />
      <ProblemAlert error={data.error} id="order-error" />
      {data.error && !o ? (
        <button type="button" class="button" onClick={data.reload}>
          {t('common.retry')}
        </button>
      ) : !o ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <>
          <section class="card" aria-labelledby="order-shop" id="order" data-order-id={o.id} data-status={o.status}>
            <h2 class="order-head">
              <Link href={`/shop/${encodeURIComponent(o.shop_id)}`} id="order-shop" dir="auto">
                {o.shop_name}
              </Link>
            </h2>
            <p>
              <span class="visually-hidden">{t('orders.status')} </span>
              <span id="order-status">
                <StatusBadge status={o.status} />
              </span>{' '}
              <span class="muted">{t('orders.placedAt', { time: dateTime(o.created_at) })}</span>
            </p>
            <AwaitingPayment order={o} />
            <OrderLines order={o} />
            <OrderSums order={o} idPrefix="order" />
            {o.status === 'pending_payment' && (
              <CancelOrder order={o} onCancelled={(done) => update(done, t('orders.cancelled'))} />
            )}
            {o.status === 'shipped' && (
              <ConfirmReceipt order={o} onDone={(done) => update(done, t('receipt.done'))} />
            )}
          </section>
          <Parcel order={o} />
          <Refunds details={o} onOrder={(order) => update(order, null, true)} />
          <Reviews
            details={o}
            onReviews={(reviews) => {
              data.set({ ...o, reviews });
              setMessage(t('reviews.thanks'));
            }}
          />
          <ShipTo order={o} />
          <Timeline order={o} />
          <Link href="/orders" id="order-back">
            {t('orders.back')}
          </Link>
        </>
      )}
    </div>
  );
}
