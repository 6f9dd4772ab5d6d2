// A shop's orders for its seller: status tabs (kept in the address as
// ?status=, "to ship" first), "load more" by cursor, and for a mountain of
// parcels the shipment import: paid orders are picked in the list, written
// into the import list (or downloaded as a CSV to fill in a spreadsheet) with
// a carrier, the tracking numbers are typed or the filled file is chosen, and
// the server ships each row on its own and answers per row.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import { CARRIERS, csvField, importShipments, SHIPMENT_HEADER, shopOrders } from '../../api/aftersale';
import type { Order, OrderStatus, ShipmentImportReply } from '../../api/types';
import { SelectField, TextAreaField } from '../../components/Field';
import { carrierLabel, orderStatusLabel, shipmentRowProblem } from '../../components/labels';
import { StatusBadge } from '../../components/OrderParts';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { SellerShopHead, sellerShopPath } from '../../components/SellerNav';
import { useSubmit } from '../../components/useSubmit';
import { dateTime, money, num, t } from '../../i18n';
import { Link, navigate } from '../../router';
import type { PageProps } from '../../routes';

/** The tabs, in the order a seller works through them; "paid" reads "to ship". */
export const SELLER_TABS: readonly OrderStatus[] = [
  'paid',
  'refunding',
  'shipped',
  'delivered',
  'completed',
  'refunded',
  'cancelled',
  'pending_payment',
];

const tabLabel = (s: OrderStatus) => (s === 'paid' ? t('sellerOrders.toShip') : orderStatusLabel(s));

/** A cell a spreadsheet must not read as a formula. */
function safeCell(value: string): string {
  return csvField(/^[=+\-@]/.test(value) ? `'${value}` : value);
}

function itemsText(order: Order): string {
  return order.items.map((i) => `${i.title}${i.spec ? ` (${i.spec})` : ''} ×${i.quantity}`).join('; ');
}

function OrderRow({
  order,
  picked,
  onPick,
}: {
  order: Order;
  picked: boolean;
  onPick: (on: boolean) => void;
}) {
  const idp = `seller-order-${order.id}`;
  const pieces = order.items.reduce((n, i) => n + i.quantity, 0);
  return (
    <li class="card order-card seller-order" data-order-id={order.id} data-status={order.status}>
      <div class="order-head">
        {order.status === 'paid' ? (
          <label class="check">
            <input
              type="checkbox"
              id={`pick-${order.id}`}
              checked={picked}
              onChange={(e) => onPick(e.currentTarget.checked)}
            />
            <span>{t('sellerOrders.pick', { id: order.id })}</span>
          </label>
        ) : (
          <span class="muted">{t('sellerOrders.number', { id: order.id })}</span>
        )}
        <StatusBadge status={order.status} />
      </div>
      <p class="order-summary" dir="auto">
        <Link href={`/seller/orders/${encodeURIComponent(order.id)}`} class="order-shop" id={`${idp}-link`}>
          {order.items[0]?.title ?? t('sellerOrders.order')}
        </Link>
        {order.items.length > 1 && (
          <span class="muted"> {t('sellerOrders.andMore', { n: num(order.items.length - 1) })}</span>
        )}
        <span class="muted"> · {t('sellerOrders.pieces', { n: num(pieces) })}</span>
      </p>
      <p class="muted" dir="auto">
        {t('sellerOrders.to', { name: order.ship_to.name })}
      </p>
      {order.tracking_no && (
        <p class="muted">
          {carrierLabel(order.carrier ?? '')} <code dir="ltr">{order.tracking_no}</code>
        </p>
      )}
      <p class="order-foot">
        <span class="muted">{dateTime(order.created_at)}</span>
        <span class="order-total" data-fen={order.total_fen}>
          <span class="visually-hidden">{t('orders.total')} </span>
          {money(order.total_fen)}
        </span>
      </p>
    </li>
  );
}

function ImportResults({ reply }: { reply: ShipmentImportReply }) {
  return (
    <div id="import-results" data-shipped={reply.shipped} data-failed={reply.failed}>
      <p class={`alert ${reply.failed ? 'alert-error' : 'alert-ok'}`} role="status">
        <span class="alert-message">
          {t('shipments.summary', { shipped: num(reply.shipped), failed: num(reply.failed) })}
        </span>
      </p>
      {reply.results.length > 0 && (
        <div class="table-scroll">
          <table class="data-table">
            <caption class="visually-hidden">{t('shipments.resultsCaption')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('shipments.line')}</th>
                <th scope="col">{t('shipments.orderId')}</th>
                <th scope="col">{t('shipments.result')}</th>
              </tr>
            </thead>
            <tbody>
              {reply.results.map((r) => (
                <tr key={r.line} data-line={r.line} data-status={r.status} data-code={r.code ?? ''}>
                  <td>{num(r.line)}</td>
                  <td dir="ltr">{r.order_id}</td>
                  <td class={r.status === 'failed' ? 'import-failed' : 'import-shipped'}>
                    {r.status === 'shipped' ? t('shipments.rowShipped') : shipmentRowProblem(r.code)}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The import list: picked orders written in, a file read in, or rows pasted; then sent. */
function ShipmentImport({
  shopId,
  picked,
  onImported,
}: {
  shopId: string;
  picked: Order[];
  onImported: () => void;
}) {
  const [carrier, setCarrier] = useState<string>(CARRIERS[0]);
  const [csv, setCsv] = useState(`${SHIPMENT_HEADER}\n`);
  const [reply, setReply] = useState<ShipmentImportReply | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);
  const [fileName, setFileName] = useState<string | null>(null);
  const form = useSubmit(['csv']);
  const area = useRef<HTMLTextAreaElement | null>(null);

  const addPicked = () => {
    const have = new Set(
      csv
        .split(/\r?\n/)
        .map((l) => l.split(',')[0]?.trim())
        .filter(Boolean),
    );
    const rows = picked.filter((o) => !have.has(o.id)).map((o) => `${o.id},${safeCell(carrier)},`);
    const base = csv.trim() ? csv.replace(/\s*$/, '\n') : `${SHIPMENT_HEADER}\n`;
    setCsv(base + rows.map((r) => `${r}\n`).join(''));
    area.current?.focus();
  };

  const download = () => {
    const header = `${SHIPMENT_HEADER},name,phone,region_code,address,items`;
    const rows = picked.map((o) =>
      [
        o.id,
        safeCell(carrier),
        '',
        safeCell(o.ship_to.name),
        safeCell(o.ship_to.phone),
        o.ship_to.region_code,
        safeCell(o.ship_to.detail),
        safeCell(itemsText(o)),
      ].join(','),
    );
    // A byte-order mark, so that spreadsheets read the Chinese as UTF-8.
    const blob = new Blob(['\uFEFF' + [header, ...rows].join('\r\n') + '\r\n'], { type: 'text/csv;charset=utf-8' });
    const url = URL.createObjectURL(blob);
    const a = document.createElement('a');
    a.href = url;
    a.download = `shipments-${shopId}.csv`;
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  };

  const readFile = async (file: File | undefined) => {
    setFileError(null);
    setFileName(null);
    if (!file) return;
    try {
      setCsv(await file.text());
      setFileName(file.name);
    } catch {
      setFileError(t('shipments.fileUnreadable'));
    }
  };

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setReply(null);
    const rows = csv.split(/\r?\n/).filter((l) => l.trim());
    if (rows.length < 2) return form.fail('csv', t('shipments.empty'));
    const answer = await form.run(() => importShipments(shopId, csv));
    if (answer) {
      setReply(answer);
      if (answer.shipped > 0) onImported();
    }
  };

  return (
    <section class="card" aria-labelledby="import-title" id="shipment-import">
      <h2 id="import-title">{t('shipments.title')}</h2>
      <p class="muted">{t('shipments.intro')}</p>
      <div class="field-inline">
        <SelectField
          id="import-carrier"
          name="carrier"
          labelKey="shipments.carrierForPicked"
          value={carrier}
          onValue={setCarrier}
        >
          {CARRIERS.map((c) => (
            <option key={c} value={c}>
              {carrierLabel(c)}
            </option>
          ))}
        </SelectField>
      </div>
      <div class="actions">
        <button
          type="button"
          class="button button-secondary button-small"
          id="import-add-picked"
          disabled={!picked.length}
          onClick={addPicked}
        >
          {t('shipments.addPicked', { n: num(picked.length) })}
        </button>
        <button
          type="button"
          class="button button-secondary button-small"
          id="import-download"
          disabled={!picked.length}
          onClick={download}
        >
          {t('shipments.download')}
        </button>
      </div>
      <form id="import-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="import-error" />
        <div class={`file-field${fileError ? ' field-invalid' : ''}`}>
          <label for="import-file" class="button button-secondary button-small file-button">
            {t('shipments.file')}
          </label>
          <input
            type="file"
            id="import-file"
            class="visually-hidden"
            accept=".csv,text/csv,text/plain"
            aria-describedby={fileError ? 'import-file-error' : undefined}
            onChange={(e) => void readFile(e.currentTarget.files?.[0])}
          />
          {fileName && (
            <p class="muted" id="import-file-name" dir="auto">
              {t('shipments.fileRead', { name: fileName })}
            </p>
          )}
          {fileError && (
            <p class="field-error" id="import-file-error">
              {fileError}
            </p>
          )}
        </div>
        <TextAreaField
          id="import-csv"
          name="csv"
          labelKey="shipments.paste"
          hintKey="shipments.pasteHint"
          value={csv}
          onValue={setCsv}
          error={form.fieldErrors.csv}
          rows={8}
          inputRef={(el) => {
            area.current = el;
            form.ref('csv')(el);
          }}
        />
        <button type="submit" class="button" id="import-submit" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('shipments.submit')}
        </button>
      </form>
      {reply && <ImportResults reply={reply} />}
    </section>
  );
}

export default function SellerOrders({ params, query }: PageProps) {
  const shopId = params.id ?? '';
  const raw = query.get('status');
  const status = SELLER_TABS.includes(raw as OrderStatus) ? (raw as OrderStatus) : null;
  const [items, setItems] = useState<Order[] | null>(null);
  const [cursor, setCursor] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(false);
  const [picked, setPicked] = useState<Set<string>>(new Set());
  const [done, setDone] = useState<string | null>(null);
  const generation = useRef(0);

  const load = async (from: string | null) => {
    const gen = ++generation.current;
    setLoading(true);
    setError(null);
    try {
      const page = await shopOrders(shopId, status, from);
      if (gen !== generation.current) return;
      setItems((have) => (from && have ? [...have, ...page.items] : page.items));
      setCursor(page.next_cursor);
    } catch (e) {
      if (gen === generation.current) setError(e);
    } finally {
      if (gen === generation.current) setLoading(false);
    }
  };

  useEffect(() => {
    setItems(null);
    setCursor(null);
    setPicked(new Set());
    void load(null);
  }, [shopId, status]);

  const filter = (s: OrderStatus | null) =>
    navigate(sellerShopPath(shopId, '/orders') + (s ? `?status=${encodeURIComponent(s)}` : ''), { replace: true });

  const list = items ?? [];
  const paid = list.filter((o) => o.status === 'paid');
  const pickedOrders = paid.filter((o) => picked.has(o.id));
  const allPicked = paid.length > 0 && paid.every((o) => picked.has(o.id));

  const pick = (orderId: string, on: boolean) => {
    const next = new Set(picked);
    if (on) next.add(orderId);
    else next.delete(orderId);
    setPicked(next);
  };

  return (
    <div class="page page-narrow seller-orders" data-shop-id={shopId}>
      <SellerShopHead shopId={shopId} titleKey="sellerOrders.title" />
      <nav aria-label={t('orders.filter')}>
        <ul class="chip-strip" id="seller-order-filter">
          <li>
            <button type="button" class="chip chip-toggle" aria-pressed={status === null} onClick={() => filter(null)}>
              {t('orders.all')}
            </button>
          </li>
          {SELLER_TABS.map((s) => (
            <li key={s}>
              <button
                type="button"
                class="chip chip-toggle"
                data-status={s}
                aria-pressed={status === s}
                onClick={() => filter(s)}
              >
                {tabLabel(s)}
              </button>
            </li>
          ))}
        </ul>
      </nav>
      <StatusMessage text={done} />
      <ProblemAlert error={error} id="seller-orders-error" />
      {items === null ? (
        error ? (
          <button type="button" class="button" onClick={() => void load(null)}>
            {t('common.retry')}
          </button>
        ) : (
          <p class="loading" role="status">
            {t('common.loading')}
          </p>
        )
      ) : !items.length ? (
        <p class="card empty" id="seller-orders-empty">
          {status ? t('orders.noneWithStatus') : t('sellerOrders.none')}
        </p>
      ) : (
        <>
          {paid.length > 0 && (
            <div class="bulk-bar" role="group" aria-label={t('sellerOrders.bulk')}>
              <label class="check">
                <input
                  type="checkbox"
                  id="pick-all"
                  checked={allPicked}
                  onChange={(e) => setPicked(e.currentTarget.checked ? new Set(paid.map((o) => o.id)) : new Set())}
                />
                <span>{t('sellerOrders.pickAll', { n: num(paid.length) })}</span>
              </label>
              <span class="muted" id="picked-count">
                {t('sellerOrders.picked', { n: num(pickedOrders.length) })}
              </span>
            </div>
          )}
          <ul class="order-list" id="seller-order-list">
            {items.map((o) => (
              <OrderRow key={o.id} order={o} picked={picked.has(o.id)} onPick={(on) => pick(o.id, on)} />
            ))}
          </ul>
          {cursor && (
            <button
              type="button"
              class="button button-secondary"
              id="seller-orders-more"
              disabled={loading}
              aria-busy={loading}
              onClick={() => void load(cursor)}
            >
              {loading ? t('common.loading') : t('orders.more')}
            </button>
          )}
        </>
      )}
      {(status === null || status === 'paid') && (
        <ShipmentImport
          shopId={shopId}
          picked={pickedOrders}
          onImported={() => {
            setDone(t('shipments.listUpdated'));
            setPicked(new Set());
            void load(null);
          }}
        />
      )}
    </div>
  );
}
