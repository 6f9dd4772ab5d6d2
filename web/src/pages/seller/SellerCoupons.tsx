// A shop's coupons: the list (what each takes off, from what spend, when it
// runs, how many were claimed and used) and the form for a new one, a fixed
// amount or a percentage with an optional cap. Amounts are typed in yuan and
// sent in fen; times are Beijing time.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { createCoupon, MAX_COUPON_CODE, shopCoupons, type NewCoupon } from '../../api/pricing';
import type { Coupon, CouponKind } from '../../api/types';
import { Field, SelectField } from '../../components/Field';
import { CouponCard } from '../../components/CouponCard';
import { COUPON_KIND_KEYS } from '../../components/labels';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { SellerShopHead } from '../../components/SellerNav';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { t } from '../../i18n';
import { parseYuan } from '../../money.js';
import type { PageProps } from '../../routes';

/** A datetime-local value ("2026-05-01T08:00") read as Beijing time. */
function beijing(value: string): string | null {
  return /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/.test(value) ? `${value}:00+08:00` : null;
}

/** Now and in 30 days as datetime-local values in Beijing time. */
function defaultTimes(): [string, string] {
  const fmt = (ms: number) => new Date(ms + 8 * 3600_000).toISOString().slice(0, 16);
  const now = Date.now();
  return [fmt(now), fmt(now + 30 * 86_400_000)];
}

const wholeNumber = (text: string) => (/^\d{1,9}$/.test(text.trim()) ? Number.parseInt(text.trim(), 10) : null);

const FORM_FIELDS = [
  'code',
  'title',
  'kind',
  'amount_fen',
  'percent_off',
  'max_discount_fen',
  'min_spend_fen',
  'starts_at',
  'ends_at',
  'per_user_limit',
  'total_count',
];

function CouponForm({ shopId, onCreated }: { shopId: string; onCreated: (c: Coupon) => void }) {
  const [start, end] = defaultTimes();
  const [code, setCode] = useState('');
  const [title, setTitle] = useState('');
  const [kind, setKind] = useState<CouponKind>('fixed');
  const [amount, setAmount] = useState('');
  const [percent, setPercent] = useState('');
  const [cap, setCap] = useState('');
  const [minSpend, setMinSpend] = useState('0');
  const [startsAt, setStartsAt] = useState(start);
  const [endsAt, setEndsAt] = useState(end);
  const [perUser, setPerUser] = useState('1');
  const [total, setTotal] = useState('100');
  const form = useSubmit(FORM_FIELDS, null, { code_taken: 'code' });

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const errors: Record<string, string> = {};
    const required = (field: string, labelKey: Parameters<typeof t>[0]) =>
      (errors[field] = t('form.required', { field: t(labelKey) }));
    if (!title.trim()) required('title', 'coupons.titleField');
    const coupon: NewCoupon = {
      title: title.trim(),
      kind,
      min_spend_fen: parseYuan(minSpend) ?? -1,
      starts_at: beijing(startsAt) ?? '',
      ends_at: beijing(endsAt) ?? '',
      per_user_limit: wholeNumber(perUser) ?? 0,
      total_count: wholeNumber(total) ?? 0,
    };
    if (code.trim()) coupon.code = code.trim().toUpperCase();
    if (kind === 'fixed') {
      const fen = parseYuan(amount);
      if (fen === null || fen <= 0) errors.amount_fen = t('shipping.amountInvalid');
      else coupon.amount_fen = fen;
    } else {
      const p = wholeNumber(percent);
      if (p === null || p < 1 || p > 99) errors.percent_off = t('coupons.percentInvalid');
      else coupon.percent_off = p;
      if (cap.trim()) {
        const fen = parseYuan(cap);
        if (fen === null || fen <= 0) errors.max_discount_fen = t('shipping.amountInvalid');
        else coupon.max_discount_fen = fen;
      }
    }
    if (coupon.min_spend_fen < 0) errors.min_spend_fen = t('shipping.amountInvalid');
    if (!coupon.starts_at) required('starts_at', 'coupons.startsAt');
    if (!coupon.ends_at) required('ends_at', 'coupons.endsAt');
    if (!coupon.per_user_limit) errors.per_user_limit = t('coupons.countInvalid');
    if (!coupon.total_count) errors.total_count = t('coupons.countInvalid');
    if (Object.keys(errors).length) return form.failMany(errors);
    const created = await form.run(() => createCoupon(shopId, coupon));
    if (created) {
      setCode('');
      setTitle('');
      setAmount('');
      setPercent('');
      setCap('');
      onCreated(created);
    }
  };

  return (
    <section class="card" aria-labelledby="coupon-new-title">
      <h2 id="coupon-new-title">{t('coupons.new')}</h2>
      <form id="coupon-new-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="coupon-new-error" />
        <Field
          id="coupon-title"
          name="title"
          labelKey="coupons.titleField"
          value={title}
          onValue={setTitle}
          error={form.fieldErrors.title}
          required
          maxLength={40}
          dir="auto"
          inputRef={form.ref('title')}
        />
        <Field
          id="coupon-new-code"
          name="code"
          labelKey="coupons.code"
          hintKey="coupons.codeHint"
          value={code}
          onValue={setCode}
          error={form.fieldErrors.code}
          maxLength={MAX_COUPON_CODE}
          dir="ltr"
          inputRef={form.ref('code')}
        />
        <SelectField
          id="coupon-kind"
          name="kind"
          labelKey="coupons.kind"
          value={kind}
          onValue={(v) => setKind(v as CouponKind)}
          error={form.fieldErrors.kind}
          required
          inputRef={form.ref('kind')}
        >
          <option value="fixed">{t(COUPON_KIND_KEYS.fixed)}</option>
          <option value="percent">{t(COUPON_KIND_KEYS.percent)}</option>
        </SelectField>
        {kind === 'fixed' ? (
          <Field
            id="coupon-amount"
            name="amount_fen"
            labelKey="coupons.amount"
            value={amount}
            onValue={setAmount}
            error={form.fieldErrors.amount_fen}
            required
            inputMode="decimal"
            dir="ltr"
            inputRef={form.ref('amount_fen')}
          />
        ) : (
          <>
            <Field
              id="coupon-percent"
              name="percent_off"
              labelKey="coupons.percent"
              value={percent}
              onValue={setPercent}
              error={form.fieldErrors.percent_off}
              required
              inputMode="numeric"
              dir="ltr"
              inputRef={form.ref('percent_off')}
            />
            <Field
              id="coupon-cap"
              name="max_discount_fen"
              labelKey="coupons.cap"
              value={cap}
              onValue={setCap}
              error={form.fieldErrors.max_discount_fen}
              inputMode="decimal"
              dir="ltr"
              inputRef={form.ref('max_discount_fen')}
            />
          </>
        )}
        <Field
          id="coupon-min-spend"
          name="min_spend_fen"
          labelKey="coupons.minSpendField"
          value={minSpend}
          onValue={setMinSpend}
          error={form.fieldErrors.min_spend_fen}
          required
          inputMode="decimal"
          dir="ltr"
          inputRef={form.ref('min_spend_fen')}
        />
        <Field
          id="coupon-starts"
          name="starts_at"
          type="datetime-local"
          labelKey="coupons.startsAt"
          value={startsAt}
          onValue={setStartsAt}
          error={form.fieldErrors.starts_at}
          required
          dir="ltr"
          inputRef={form.ref('starts_at')}
        />
        <Field
          id="coupon-ends"
          name="ends_at"
          type="datetime-local"
          labelKey="coupons.endsAt"
          value={endsAt}
          onValue={setEndsAt}
          error={form.fieldErrors.ends_at}
          required
          dir="ltr"
          inputRef={form.ref('ends_at')}
        />
        <Field
          id="coupon-per-user"
          name="per_user_limit"
          labelKey="coupons.perUser"
          value={perUser}
          onValue={setPerUser}
          error={form.fieldErrors.per_user_limit}
          required
          inputMode="numeric"
          dir="ltr"
          inputRef={form.ref('per_user_limit')}
        />
        <Field
          id="coupon-total"
          name="total_count"
          labelKey="coupons.total"
          value={total}
          onValue={setTotal}
          error={form.fieldErrors.total_count}
          required
          inputMode="numeric"
          dir="ltr"
          inputRef={form.ref('total_count')}
        />
        <button type="submit" class="button" id="coupon-create" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('coupons.create')}
        </button>
      </form>
    </section>
  );
}

export default function SellerCoupons({ params }: PageProps) {
  const shopId = params.id ?? '';
  const list = useAsync(() => shopCoupons(shopId), [shopId]);
  const [done, setDone] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  return (
    <div class="page page-narrow seller-coupons" data-shop-id={shopId}>
      <SellerShopHead shopId={shopId} titleKey="coupons.sellerTitle" />
      <StatusMessage text={done} />
      <section aria-labelledby="coupon-list-title">
        <h2 id="coupon-list-title">{t('coupons.list')}</h2>
        <ProblemAlert error={list.error} id="coupon-list-error" />
        {list.loading && !list.data ? (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        ) : !items.length ? (
          list.error ? null : <p class="empty">{t('coupons.noneInShop')}</p>
        ) : (
          <ul class="order-list" id="coupon-list">
            {items.map((c) => (
              <CouponCard key={c.id ?? c.code} coupon={c} />
            ))}
          </ul>
        )}
      </section>
      <CouponForm
        shopId={shopId}
        onCreated={(c) => {
          list.set({ items: [c, ...items], next_cursor: list.data?.next_cursor ?? null });
          setDone(t('coupons.created', { code: c.code }));
        }}
      />
    </div>
  );
}
