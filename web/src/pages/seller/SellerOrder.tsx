// One order of a shop for its seller: the items and sums, where it goes, the
// ship form for a paid order (a courier from the list or typed, and the
// tracking number), the refund waiting for a decision (approve, with the
// units back on offer when it is the whole order, or refuse with a reason),
// the refunds and reviews so far, and the history.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import {
  approveRefund,
  CARRIERS,
  MAX_CARRIER,
  MAX_REFUND_REASON,
  orderDetails,
  refuseRefund,
  ship,
  TRACKING_NO,
} from '../../api/aftersale';
import type { Order, OrderDetails, Refund } from '../../api/types';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { carrierLabel } from '../../components/labels';
import {
  OrderLines,
  OrderSums,
  Parcel,
  RefundItem,
  RefundList,
  ReviewList,
  ShipTo,
  StatusBadge,
  Timeline,
} from '../../components/OrderParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { sellerShopPath } from '../../components/SellerNav';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { dateTime, money, t } from '../../i18n';
import { Link } from '../../router';
import type { PageProps } from '../../routes';

const OTHER = 'other';

function ShipForm({ order, onShipped }: { order: Order; onShipped: (o: Order) => void }) {
  const [choice, setChoice] = useState<string>(CARRIERS[0]);
  const [typed, setTyped] = useState('');
  const [tracking, setTracking] = useState('');
  const form = useSubmit(['carrier', 'tracking_no']);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const carrier = choice === OTHER ? typed.trim() : choice;
    const number = tracking.trim();
    const errors: Record<string, string> = {};
    if (!carrier) errors.carrier = t('form.required', { field: t('parcel.carrier') });
    if (!TRACKING_NO.test(number)) errors.tracking_no = t('ship.trackingHint');
    if (Object.keys(errors).length) return form.failMany(errors);
    const shipped = await form.run(() => ship(order.id, carrier, number));
    if (shipped) onShipped(shipped);
  };

  return (
    <section class="card" aria-labelledby="ship-title" id="ship-section">
      <h2 id="ship-title">{t('ship.title')}</h2>
      <form id="ship-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="ship-error" />
        <SelectField
          id="ship-carrier"
          name="carrier_choice"
          labelKey="parcel.carrier"
          value={choice}
          onValue={setChoice}
          error={choice === OTHER ? null : form.fieldErrors.carrier}
          required
          inputRef={choice === OTHER ? undefined : form.ref('carrier')}
        >
          {CARRIERS.map((c) => (
            <option key={c} value={c}>
              {carrierLabel(c)}
            </option>
          ))}
          <option value={OTHER}>{t('ship.otherCarrier')}</option>
        </SelectField>
        {choice === OTHER && (
          <Field
            id="ship-carrier-name"
            name="carrier"
            labelKey="ship.carrierName"
            value={typed}
            onValue={setTyped}
            error={form.fieldErrors.carrier}
            required
            maxLength={MAX_CARRIER}
            dir="auto"
            inputRef={form.ref('carrier')}
          />
        )}
        <Field
          id="ship-tracking-no"
          name="tracking_no"
          labelKey="parcel.trackingNo"
          hintKey="ship.trackingHint"
          value={tracking}
          onValue={setTracking}
          error={form.fieldErrors.tracking_no}
          required
          maxLength={40}
          dir="ltr"
          inputRef={form.ref('tracking_no')}
        />
        <button type="submit" class="button" id="ship-submit" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('ship.submit')}
        </button>
      </form>
    </section>
  );
}

/**
 * The refund waiting for the seller. Units go back on offer only when the
 * refund takes the order's whole remaining amount (the server's rule), so
 * the checkbox is enabled only then.
 */
function PendingRefund({
  order,
  refund,
  onDecided,
}: {
  order: OrderDetails;
  refund: Refund;
  onDecided: (o: Order, text: string) => void;
}) {
  const whole = (order.refunded_fen ?? 0) + refund.amount_fen === order.total_fen;
  const [restock, setRestock] = useState(false);
  const [refusing, setRefusing] = useState(false);
  const [reason, setReason] = useState('');
  const approve = useSubmit([]);
  const refuse = useSubmit(['reason']);

  const doApprove = async () => {
    const out = await approve.run(() => approveRefund(refund.id, whole && restock));
    if (out) onDecided(out.order, t('decide.approved'));
  };

  const doRefuse = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    if (!reason.trim()) return refuse.fail('reason', t('form.required', { field: t('decide.refuseReason') }));
    const out = await refuse.run(() => refuseRefund(refund.id, reason.trim()));
    if (out) onDecided(out.order, t('decide.refused'));
  };

  return (
    <section class="card pending-refund" aria-labelledby="decide-title" id="pending-refund" data-refund-id={refund.id}>
      <h2 id="decide-title">{t('decide.title')}</h2>
      <ul class="refund-list">
        <RefundItem refund={refund} />
      </ul>
      <p class="muted" id="decide-whole" data-whole={whole ? 'true' : 'false'}>
        {whole ? t('decide.whole') : t('decide.part', { total: money(order.total_fen) })}
      </p>
      <ProblemAlert error={approve.error} id="approve-error" />
      <label class="check">
        <input
          type="checkbox"
          id="decide-restock"
          checked={whole && restock}
          disabled={!whole}
          aria-describedby="decide-restock-hint"
          onChange={(e) => setRestock(e.currentTarget.checked)}
        />
        <span>{t('decide.restock')}</span>
      </label>
      <p class="field-hint" id="decide-restock-hint">
        {t('decide.restockHint')}
      </p>
      <div class="actions">
        <button
          type="button"
          class="button"
          id="decide-approve"
          disabled={approve.busy || refuse.busy}
          aria-busy={approve.busy}
          onClick={() => void doApprove()}
        >
          {approve.busy ? t('common.working') : t('decide.approve', { amount: money(refund.amount_fen) })}
        </button>
        {!refusing && (
          <button
            type="button"
            class="button button-secondary"
            id="decide-refuse-open"
            onClick={() => setRefusing(true)}
          >
            {t('decide.refuse')}
          </button>
        )}
      </div>
      {refusing && (
        <form id="refuse-form" class="form" onSubmit={doRefuse} noValidate>
          <ProblemAlert error={refuse.error} id="refuse-error" />
          <TextAreaField
            id="refuse-reason"
            name="reason"
            labelKey="decide.refuseReason"
            hintKey="decide.refuseHint"
            value={reason}
            onValue={setReason}
            error={refuse.fieldErrors.reason}
            required
            maxLength={MAX_REFUND_REASON}
            rows={3}
            inputRef={refuse.ref('reason')}
          />
          <div class="actions">
            <button
              type="submit"
              class="button button-danger"
              id="refuse-submit"
              disabled={refuse.busy || approve.busy}
              aria-busy={refuse.busy}
            >
              {refuse.busy ? t('common.working') : t('decide.refuseSubmit')}
            </button>
            <button type="button" class="button button-secondary" id="refuse-cancel" onClick={() => setRefusing(false)}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}

export default function SellerOrder({ params }: PageProps) {
  const id = params.id ?? '';
  const data = useAsync(() => orderDetails(id), [id]);
  const [message, setMessage] = useState<string | null>(null);
  const o = data.data;

  const changed = (order: Order, text: string, reload: boolean) => {
    if (o) data.set({ ...o, ...order });
    setMessage(text);
    document.getElementById('seller-order-heading')?.focus();
    if (reload) data.reload();
  };

  const pending = o?.refunds.find((r) => r.status === 'requested') ?? null;
  const decided = o?.refunds.filter((r) => r.status !== 'requested') ?? [];

  return (
    <div class="page page-narrow order-page seller-order-page">
      {o && (
        <p class="breadcrumb">
          <Link href={sellerShopPath(o.shop_id, '/orders')} id="seller-order-back">
            {t('sellerOrders.back')}
          </Link>
        </p>
      )}
      <h1 id="seller-order-heading" tabIndex={-1}>
        {t('sellerOrder.title')}
      </h1>
      <StatusMessage text={message} />
      <ProblemAlert error={data.error} id="seller-order-error" />
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
          <section
            class="card"
            aria-labelledby="seller-order-number"
            id="order"
            data-order-id={o.id}
            data-status={o.status}
          >
            <h2 class="order-head" id="seller-order-number">
              {t('sellerOrders.number', { id: o.id })}
            </h2>
            <p>
              <span class="visually-hidden">{t('orders.status')} </span>
              <span id="order-status">
                <StatusBadge status={o.status} />
              </span>{' '}
              <span class="muted">{t('orders.placedAt', { time: dateTime(o.created_at) })}</span>
            </p>
            <OrderLines order={o} />
            <OrderSums order={o} idPrefix="order" />
            {(o.refunded_fen ?? 0) > 0 && (
              <p id="order-refunded" data-fen={o.refunded_fen}>
                {t('refunds.refundedSoFar', { amount: money(o.refunded_fen ?? 0) })}
              </p>
            )}
          </section>
          {pending && (
            <PendingRefund
              key={pending.id}
              order={o}
              refund={pending}
              onDecided={(order, text) => changed(order, text, true)}
            />
          )}
          {o.status === 'paid' && <ShipForm order={o} onShipped={(order) => changed(order, t('ship.done'), false)} />}
          <ShipTo order={o} />
          <Parcel order={o} />
          {decided.length > 0 && (
            <section class="card" aria-labelledby="seller-refunds-title">
              <h2 id="seller-refunds-title">{t('refunds.title')}</h2>
              <RefundList refunds={decided} />
            </section>
          )}
          {o.reviews.length > 0 && (
            <section class="card" aria-labelledby="seller-reviews-title">
              <h2 id="seller-reviews-title">{t('reviews.title')}</h2>
              <ReviewList reviews={o.reviews} id="order-reviews" />
            </section>
          )}
          <Timeline order={o} />
        </>
      )}
    </div>
  );
}
