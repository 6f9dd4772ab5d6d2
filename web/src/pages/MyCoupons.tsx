// The buyer's coupons: claim one by its code (a shop hands codes out in live
// rooms, on packages or in its shop), and the coupons claimed so far with
// their state (to use, used, expired); a code is typed in at checkout.
import type { TargetedSubmitEvent } from 'preact';
import { useState } from 'preact/hooks';
import { claimCoupon, MAX_COUPON_CODE, myCoupons, normaliseCode } from '../api/pricing';
import { CouponCard } from '../components/CouponCard';
import type { CouponClaim } from '../api/types';
import { Field } from '../components/Field';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { dateTime, money, t } from '../i18n';
import { Link } from '../router';

export default function MyCoupons() {
  const list = useAsync(() => myCoupons(), []);
  const [code, setCode] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const form = useSubmit(['code'], null, {
    coupon_unknown: 'code',
    coupon_expired: 'code',
    coupon_not_started: 'code',
    limit_reached: 'code',
    coupons_gone: 'code',
  });
  const statusLabel = (c: CouponClaim) =>
    c.status === 'used' ? t('coupons.used') : c.status === 'expired' ? t('coupons.expired') : t('coupons.available');
  const items = list.data?.items ?? [];

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const wanted = normaliseCode(code);
    if (!wanted) return form.fail('code', t('form.required', { field: t('coupons.code') }));
    const claim = await form.run(() => claimCoupon(wanted));
    if (claim) {
      setCode('');
      setDone(t('coupons.claimed', { title: claim.coupon.title }));
      list.set({ items: [claim, ...items.filter((c) => c.id !== claim.id)], next_cursor: null });
    }
  };

  return (
    <div class="page page-narrow my-coupons">
      <p class="breadcrumb">
        <Link href="/account">{t('account.title')}</Link>
      </p>
      <h1>{t('coupons.mineTitle')}</h1>
      <section class="card" aria-labelledby="claim-title">
        <h2 id="claim-title">{t('coupons.claim')}</h2>
        <form id="claim-form" class="form" onSubmit={submit} noValidate>
          <ProblemAlert error={form.error} id="claim-error" />
          <Field
            id="claim-code"
            name="code"
            labelKey="coupons.code"
            value={code}
            onValue={setCode}
            error={form.fieldErrors.code}
            required
            maxLength={MAX_COUPON_CODE}
            dir="ltr"
            inputRef={form.ref('code')}
          />
          <button type="submit" class="button" id="claim-submit" disabled={form.busy} aria-busy={form.busy}>
            {form.busy ? t('common.working') : t('coupons.claimSubmit')}
          </button>
          <StatusMessage text={done} />
        </form>
      </section>
      <section aria-labelledby="mine-title">
        <h2 id="mine-title">{t('coupons.mine')}</h2>
        <p class="muted">{t('coupons.mineHint')}</p>
        <ProblemAlert error={list.error} id="mine-error" />
        {list.loading && !list.data ? (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        ) : !items.length ? (
          list.error ? null : <p class="empty" id="mine-empty">{t('coupons.noneMine')}</p>
        ) : (
          <ul class="order-list" id="my-coupon-list">
            {items.map((c) => (
              <CouponCard key={c.id} coupon={c.coupon} status={c.status}>
                <p>
                  <span class={`badge${c.status === 'available' ? '' : ' badge-muted'}`}>{statusLabel(c)}</span>{' '}
                  <span class="muted">{t('coupons.claimedAt', { time: dateTime(c.claimed_at) })}</span>
                </p>
                {c.status === 'used' && c.discount_fen > 0 && (
                  <p class="muted">{t('coupons.saved', { amount: money(c.discount_fen) })}</p>
                )}
              </CouponCard>
            ))}
          </ul>
        )}
      </section>
    </div>
  );
}
