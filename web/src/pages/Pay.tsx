// The sandbox payment provider's page: the amount, a QR code of this page
// for paying on a phone, and the pay button. The server learns of the payment
// from the provider's signed notification, so after paying the page waits
// until the payment shows as paid.
import { useEffect, useState } from 'preact/hooks';
import { payInSandbox, payment as fetchPayment, paymentQrUrl } from '../api/payments';
import type { Payment } from '../api/types';
import { ProblemAlert } from '../components/ProblemAlert';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { money, t } from '../i18n';
import { Link } from '../router';
import type { PageProps } from '../routes';

const POLL_MS = 1000;
const POLL_LIMIT = 60;

export default function Pay({ params }: PageProps) {
  const paymentId = params.id ?? '';
  const data = useAsync(() => fetchPayment(paymentId), [paymentId]);
  const [current, setCurrent] = useState<Payment | null>(null);
  const [waiting, setWaiting] = useState(false);
  const form = useSubmit([]);
  const shown = current ?? data.data ?? null;

  useEffect(() => {
    if (!waiting) return undefined;
    let polls = 0;
    const timer = setInterval(async () => {
      polls += 1;
      try {
        const p = await fetchPayment(paymentId);
        setCurrent(p);
        if (p.status === 'paid' || polls >= POLL_LIMIT) {
          setWaiting(false);
        }
      } catch {
        if (polls >= POLL_LIMIT) setWaiting(false);
      }
    }, POLL_MS);
    return () => clearInterval(timer);
  }, [waiting, paymentId]);

  const pay = async () => {
    const ok = await form.run(() => payInSandbox(paymentId));
    if (ok) setWaiting(true);
  };

  return (
    <div class="page pay-page">
      <h1>{t('pay.title')}</h1>
      {data.error && <ProblemAlert error={data.error} />}
      {shown && (
        <section class="card" id="pay" data-status={shown.status} aria-labelledby="pay-amount-label">
          <p class="pay-amount">
            <span id="pay-amount-label">{t('pay.amount')}</span>{' '}
            <strong id="pay-amount" data-fen={shown.amount_fen}>
              {money(shown.amount_fen)}
            </strong>
          </p>
          {shown.status === 'paid' ? (
            <div class="alert alert-ok" role="status" id="pay-done">
              <p class="alert-message">{t('pay.paid')}</p>
            </div>
          ) : (
            <>
              <p class="muted">{t('pay.sandboxNote')}</p>
              <img class="pay-qr" src={paymentQrUrl(paymentId)} alt={t('pay.qr')} width={180} height={180} />
              <ProblemAlert error={form.error} />
              <button type="button" class="button button-block" id="pay-button" disabled={form.busy || waiting} onClick={pay}>
                {t('pay.button', { amount: money(shown.amount_fen) })}
              </button>
              {waiting && (
                <p role="status" class="muted" id="pay-waiting">
                  {t('pay.waiting')}
                </p>
              )}
            </>
          )}
          <p>
            <Link href="/orders" id="pay-orders">
              {t('orders.title')}
            </Link>
          </p>
        </section>
      )}
    </div>
  );
}
