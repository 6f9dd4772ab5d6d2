// The product editor of the seller console. New products: details and a
// table of SKUs. Existing ones: details (PATCH), stock per SKU, pictures
// (upload, order, delete) and traceable batches with their QR codes.
import type { TargetedEvent, TargetedSubmitEvent } from 'preact';
import { useRef, useState } from 'preact/hooks';
import {
  categories,
  createBatch,
  createProduct,
  deleteImage,
  editProduct,
  flattenCategories,
  getProduct,
  getShop,
  qrUrl,
  reorderImages,
  addSku,
  editSku,
  retireSku,
  setStock,
  uploadImage,
} from '../../api/catalog';
import { ApiError } from '../../api/client';
import type { Batch, Category, Product, ProductImage, Region, Sku } from '../../api/types';
import { Field, SelectField, TextAreaField } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { RegionPicker } from '../../components/RegionPicker';
import { RegionPath } from '../../components/ShopCard';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { todayInShanghai } from '../../i18n/format.js';
import { localName, num, t } from '../../i18n';
import type { MessageKey } from '../../i18n';
import { fenToYuanText, parseYuan } from '../../money.js';
import { Link, navigate } from '../../router';
import type { PageProps } from '../../routes';

const TITLE_MAX = 60;
const DESCRIPTION_MAX = 5000;
const SPEC_MAX = 60;
const CERT_MAX = 100;
const MAX_PRICE_FEN = 100_000_000;
const MAX_STOCK = 10_000_000;
const MAX_WEIGHT_G = 1_000_000;
const MAX_SKUS = 50;
const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
const INTEGER = /^\d{1,9}$/;

const DETAIL_FIELDS = ['title', 'description', 'category_id', 'origin_region_code'];

// ---- details: title, description, category, origin ----

/** A chosen region: what the picker reports, or a stored code shown in it. */
type Chosen = Pick<Region, 'code' | 'level'>;

interface Details {
  title: string;
  description: string;
  categoryId: string;
  origin: Chosen | null;
}

function CategorySelect(props: {
  tree: Category[];
  value: string;
  onValue: (v: string) => void;
  error?: string;
  inputRef: (el: HTMLElement | null) => void;
}) {
  const options = flattenCategories(props.tree).map(({ category, depth }) => ({
    id: category.id,
    // Indented by level: the tree shows through in a plain select.
    text: '\u00a0\u00a0\u00a0'.repeat(depth) + localName(category.names),
  }));
  return (
    <SelectField
      id="product-category"
      name="category_id"
      labelKey="editor.category"
      value={props.value}
      onValue={props.onValue}
      error={props.error}
      required
      inputRef={props.inputRef}
    >
      <option value="">{t('editor.chooseCategory')}</option>
      {options.map((o) => (
        <option key={o.id} value={o.id}>
          {o.text}
        </option>
      ))}
    </SelectField>
  );
}

function DetailFields(props: {
  details: Details;
  change: (d: Partial<Details>) => void;
  tree: Category[];
  form: ReturnType<typeof useSubmit>;
  initialOrigin?: string;
}) {
  const { details, change, tree, form } = props;
  return (
    <>
      <Field
        id="product-title"
        name="title"
        labelKey="editor.productTitle"
        value={details.title}
        onValue={(title) => change({ title })}
        error={form.fieldErrors.title}
        required
        maxLength={TITLE_MAX}
        inputRef={form.ref('title')}
        dir="auto"
      />
      <TextAreaField
        id="product-description"
        name="description"
        labelKey="editor.description"
        hintKey="editor.descriptionHint"
        value={details.description}
        onValue={(description) => change({ description })}
        error={form.fieldErrors.description}
        maxLength={DESCRIPTION_MAX}
        inputRef={form.ref('description')}
      />
      <CategorySelect
        tree={tree}
        value={details.categoryId}
        onValue={(categoryId) => change({ categoryId })}
        error={form.fieldErrors.category_id}
        inputRef={form.ref('category_id')}
      />
      <div class={form.fieldErrors.origin_region_code ? 'field-invalid' : undefined}>
        <RegionPicker
          id="product-origin"
          legendKey="editor.origin"
          value={props.initialOrigin ?? null}
          onChange={(origin) => change({ origin })}
        />
        <p class="field-hint">{t('editor.originHint')}</p>
        {form.fieldErrors.origin_region_code && (
          <p class="field-error" id="product-origin-error" role="alert">
            {form.fieldErrors.origin_region_code}
          </p>
        )}
      </div>
    </>
  );
}

/** Checks made before asking the server; keys are field names. */
function checkDetails(d: Details): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!d.title.trim()) errors.title = t('form.required', { field: t('editor.productTitle') });
  if (!d.categoryId) errors.category_id = t('editor.chooseCategoryError');
  const level = d.origin?.level;
  if (!level || level === 'province' || level === 'prefecture') errors.origin_region_code = t('editor.originLevel');
  return errors;
}

function detailsBody(d: Details) {
  return {
    title: d.title.trim(),
    description: d.description,
    category_id: d.categoryId,
    origin_region_code: d.origin?.code ?? '',
  };
}

// ---- new product ----

interface SkuRow {
  key: number;
  spec: string;
  price: string;
  stock: string;
  weight: string;
}

let rowKeys = 0;
const newRow = (): SkuRow => ({ key: ++rowKeys, spec: '', price: '', stock: '', weight: '' });

function checkRows(rows: SkuRow[]): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const r of rows) {
    const at = (f: string) => `sku-${r.key}-${f}`;
    if (!r.spec.trim()) errors[at('spec')] = t('form.required', { field: t('sku.spec') });
    const fen = parseYuan(r.price);
    if (fen === null) errors[at('price')] = t('sku.priceInvalid');
    else if (fen < 1 || fen > MAX_PRICE_FEN) errors[at('price')] = t('sku.priceRange');
    if (!INTEGER.test(r.stock.trim()) || Number(r.stock) > MAX_STOCK) errors[at('stock')] = t('sku.stockInvalid');
    if (!INTEGER.test(r.weight.trim()) || Number(r.weight) < 1 || Number(r.weight) > MAX_WEIGHT_G) {
      errors[at('weight')] = t('sku.weightInvalid');
    }
  }
  return errors;
}

function SkuTable({
  rows,
  setRows,
  form,
}: {
  rows: SkuRow[];
  setRows: (rows: SkuRow[]) => void;
  form: ReturnType<typeof useSubmit>;
}) {
  const change = (key: number, patch: Partial<SkuRow>) => setRows(rows.map((r) => (r.key === key ? { ...r, ...patch } : r)));
  return (
    <fieldset class="sku-table" id="sku-table">
      <legend>{t('editor.skus')}</legend>
      <p class="field-hint">{t('editor.skusHint')}</p>
      {rows.map((r, i) => {
        const id = (f: string) => `sku-${i + 1}-${f}`;
        const err = (f: string) => form.fieldErrors[`sku-${r.key}-${f}`];
        return (
          <fieldset class="sku-row" key={r.key} data-row={i + 1}>
            <legend>{t('editor.skuN', { n: i + 1 })}</legend>
            <Field
              id={id('spec')}
              name="spec"
              labelKey="sku.spec"
              value={r.spec}
              onValue={(spec) => change(r.key, { spec })}
              error={err('spec')}
              required
              maxLength={SPEC_MAX}
              inputRef={form.ref(`sku-${r.key}-spec`)}
              dir="auto"
            />
            <Field
              id={id('price')}
              name="price"
              labelKey="sku.priceYuan"
              value={r.price}
              onValue={(price) => change(r.key, { price })}
              error={err('price')}
              required
              inputMode="decimal"
              maxLength={14}
              inputRef={form.ref(`sku-${r.key}-price`)}
              dir="ltr"
            />
            <Field
              id={id('stock')}
              name="stock"
              labelKey="sku.stock"
              value={r.stock}
              onValue={(stock) => change(r.key, { stock })}
              error={err('stock')}
              required
              inputMode="numeric"
              maxLength={9}
              inputRef={form.ref(`sku-${r.key}-stock`)}
              dir="ltr"
            />
            <Field
              id={id('weight')}
              name="weight_g"
              labelKey="sku.weight"
              value={r.weight}
              onValue={(weight) => change(r.key, { weight })}
              error={err('weight')}
              required
              inputMode="numeric"
              maxLength={7}
              inputRef={form.ref(`sku-${r.key}-weight`)}
              dir="ltr"
            />
            <button
              type="button"
              class="button button-secondary button-small"
              id={id('remove')}
              disabled={rows.length === 1}
              onClick={() => setRows(rows.filter((x) => x.key !== r.key))}
            >
              {t('editor.removeSku', { n: i + 1 })}
            </button>
          </fieldset>
        );
      })}
      <button type="button" class="button button-secondary" id="sku-add" onClick={() => setRows([...rows, newRow()])}>
        {t('editor.addSku')}
      </button>
    </fieldset>
  );
}

function CreateProduct({ shopId }: { shopId: string }) {
  const data = useAsync(() => Promise.all([categories(), getShop(shopId)]), [shopId]);
  const [details, setDetails] = useState<Details>({ title: '', description: '', categoryId: '', origin: null });
  const [originTouched, setOriginTouched] = useState(false);
  const [rows, setRows] = useState<SkuRow[]>(() => [newRow()]);
  // The server names a SKU's field by its row: skus[1].price_fen.
  const form = useSubmit(DETAIL_FIELDS, (field) => {
    const m = /^skus\[(\d+)\]\.(spec|price_fen|stock|weight_g)$/.exec(field);
    const row = m ? rows[Number(m[1])] : undefined;
    if (!m || !row) return null;
    const input = { spec: 'spec', price_fen: 'price', stock: 'stock', weight_g: 'weight' }[m[2]!];
    return `sku-${row.key}-${input}`;
  });

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const shopRegion = data.data?.[1].region_code ?? '';
    // Until the seller picks another, the origin is the shop's county (the picker shows it chosen).
    const chosen: Details =
      originTouched || !shopRegion ? details : { ...details, origin: { code: shopRegion.slice(0, 6), level: 'county' } };
    const errors = { ...checkDetails(chosen), ...checkRows(rows) };
    if (Object.keys(errors).length) return form.failMany(errors);
    const skus = rows.map((r) => ({
      spec: r.spec.trim(),
      price_fen: parseYuan(r.price)!,
      stock: Number.parseInt(r.stock.trim(), 10),
      weight_g: Number.parseInt(r.weight.trim(), 10),
    }));
    const product = await form.run(() => createProduct(shopId, { ...detailsBody(chosen), skus }));
    if (product) navigate(`/seller/products/${encodeURIComponent(product.id)}?created=1`, { replace: true });
  };

  if (data.error) return <ProblemAlert error={data.error} />;
  if (!data.data) {
    return (
      <p class="loading" role="status">
        {t('common.loading')}
      </p>
    );
  }
  const [tree, shop] = data.data;
  return (
    <>
      <p class="breadcrumb">
        <Link href={`/seller/shops/${encodeURIComponent(shopId)}`} dir="auto">
          {shop.name}
        </Link>
      </p>
      <form id="product-form" class="form card" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="product-error" />
        <DetailFields
          details={details}
          change={(d) => {
            if ('origin' in d) setOriginTouched(true);
            setDetails((have) => ({ ...have, ...d }));
          }}
          tree={tree}
          form={form}
          initialOrigin={shop.region_code.slice(0, 6)}
        />
        <SkuTable rows={rows} setRows={setRows} form={form} />
        <button type="submit" class="button button-block" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('editor.create')}
        </button>
      </form>
    </>
  );
}

// ---- existing product ----

function EditDetails({ product, tree, onSaved }: { product: Product; tree: Category[]; onSaved: (p: Product) => void }) {
  const [details, setDetails] = useState<Details>({
    title: product.title,
    description: product.description,
    categoryId: product.category_id,
    // Stored, so at least a county; the picker reports only the seller's own choices.
    origin: { code: product.origin_region_code, level: 'county' },
  });
  const [done, setDone] = useState<string | null>(null);
  const form = useSubmit(DETAIL_FIELDS);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const errors = checkDetails(details);
    if (Object.keys(errors).length) return form.failMany(errors);
    const saved = await form.run(() => editProduct(product.id, detailsBody(details)));
    if (saved) {
      onSaved(saved);
      setDone(t('editor.saved'));
    }
  };

  return (
    <section class="card" aria-labelledby="details-title">
      <h2 id="details-title">{t('editor.details')}</h2>
      <form id="details-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="details-error" />
        <DetailFields
          details={details}
          change={(d) => setDetails((have) => ({ ...have, ...d }))}
          tree={tree}
          form={form}
          initialOrigin={product.origin_region_code}
        />
        <button type="submit" class="button" disabled={form.busy} aria-busy={form.busy}>
          {t('common.save')}
        </button>
        <StatusMessage text={done} />
      </form>
    </section>
  );
}

/** Checks one SKU's fields typed in the browser; keys are `${prefix}-${field}`. */
function checkSkuFields(prefix: string, f: { spec: string; price: string; weight: string; stock?: string }) {
  const errors: Record<string, string> = {};
  if (!f.spec.trim()) errors[`${prefix}-spec`] = t('form.required', { field: t('sku.spec') });
  const fen = parseYuan(f.price);
  if (fen === null) errors[`${prefix}-price`] = t('sku.priceInvalid');
  else if (fen < 1 || fen > MAX_PRICE_FEN) errors[`${prefix}-price`] = t('sku.priceRange');
  if (!INTEGER.test(f.weight.trim()) || Number(f.weight) < 1 || Number(f.weight) > MAX_WEIGHT_G) {
    errors[`${prefix}-weight`] = t('sku.weightInvalid');
  }
  if (f.stock !== undefined && (!INTEGER.test(f.stock.trim()) || Number(f.stock) > MAX_STOCK)) {
    errors[`${prefix}-stock`] = t('sku.stockInvalid');
  }
  return errors;
}

const SERVER_SKU_FIELD: Record<string, string> = { spec: 'spec', price_fen: 'price', weight_g: 'weight', stock: 'stock' };

/** Spec, price and weight of a SKU on offer (PATCH), its stock (PUT) and its removal. */
function SkuRowEditor(props: {
  sku: Sku;
  last: boolean;
  onSaved: (sku: Sku) => void;
  onRetired: (id: string) => void;
}) {
  const { sku } = props;
  const p = `sku-${sku.id}`;
  const [spec, setSpec] = useState(sku.spec);
  const [price, setPrice] = useState(fenToYuanText(sku.price_fen));
  const [weight, setWeight] = useState(String(sku.weight_g));
  const [stock, setStockText] = useState(String(sku.stock));
  const [done, setDone] = useState<string | null>(null);
  const [stockDone, setStockDone] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const details = useSubmit([], (field) => (SERVER_SKU_FIELD[field] ? `${p}-${SERVER_SKU_FIELD[field]}` : null));
  const stockForm = useSubmit(['stock']);
  const removal = useSubmit([]);

  const saveDetails = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const errors = checkSkuFields(p, { spec, price, weight });
    if (Object.keys(errors).length) return details.failMany(errors);
    const reply = await details.run(() =>
      editSku(sku.id, { spec: spec.trim(), price_fen: parseYuan(price)!, weight_g: Number.parseInt(weight.trim(), 10) }),
    );
    if (reply) {
      props.onSaved(reply);
      setDone(t('editor.saved'));
    }
  };
  const saveStock = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setStockDone(null);
    if (!INTEGER.test(stock.trim()) || Number(stock) > MAX_STOCK) return stockForm.fail('stock', t('sku.stockInvalid'));
    const reply = await stockForm.run(() => setStock(sku.id, Number.parseInt(stock.trim(), 10)));
    if (reply) {
      props.onSaved({ ...sku, stock: reply.stock });
      setStockDone(t('editor.stockSaved'));
    }
  };
  const retire = async () => {
    const ok = await removal.run(async () => {
      await retireSku(sku.id);
      return true;
    });
    if (ok) props.onRetired(sku.id);
  };

  const field = (f: 'spec' | 'price' | 'weight', labelKey: MessageKey, value: string, set: (v: string) => void, ltr: boolean) => (
    <Field
      id={`${p}-${f}`}
      name={f}
      labelKey={labelKey}
      value={value}
      onValue={set}
      error={details.fieldErrors[`${p}-${f}`]}
      maxLength={f === 'spec' ? SPEC_MAX : 12}
      inputMode={f === 'spec' ? undefined : f === 'price' ? 'decimal' : 'numeric'}
      inputRef={details.ref(`${p}-${f}`)}
      dir={ltr ? 'ltr' : 'auto'}
    />
  );

  return (
    <li class="stock-row sku-editor" data-sku-id={sku.id}>
      <form class="sku-form" onSubmit={saveDetails} noValidate id={`sku-form-${sku.id}`}>
        <ProblemAlert error={details.error} />
        <div class="sku-row">
          {field('spec', 'sku.spec', spec, setSpec, false)}
          {field('price', 'sku.priceYuan', price, setPrice, true)}
          {field('weight', 'sku.weight', weight, setWeight, true)}
        </div>
        <button type="submit" class="button button-small" disabled={details.busy}>
          {t('editor.saveSku')}
        </button>
        <StatusMessage text={done} />
      </form>
      <form class="stock-form" onSubmit={saveStock} noValidate id={`stock-form-${sku.id}`}>
        <ProblemAlert error={stockForm.error} />
        <div class="stock-edit">
          <Field
            id={`stock-${sku.id}`}
            name="stock"
            labelKey="sku.stock"
            value={stock}
            onValue={setStockText}
            error={stockForm.fieldErrors.stock}
            inputMode="numeric"
            maxLength={9}
            inputRef={stockForm.ref('stock')}
            dir="ltr"
          />
          <button type="submit" class="button button-small" disabled={stockForm.busy} aria-label={t('editor.saveStockFor', { spec: sku.spec })}>
            {t('common.save')}
          </button>
        </div>
        <StatusMessage text={stockDone} />
      </form>
      <div class="sku-remove">
        <ProblemAlert error={removal.error} />
        {props.last ? (
          <p class="muted">{t('editor.lastSku')}</p>
        ) : confirming ? (
          <p>
            {t('editor.retireSkuQuestion', { spec: sku.spec })}{' '}
            <button type="button" class="button button-small button-danger" id={`retire-${sku.id}`} disabled={removal.busy} onClick={retire}>
              {t('editor.retireSkuConfirm')}
            </button>{' '}
            <button type="button" class="button button-small button-secondary" onClick={() => setConfirming(false)}>
              {t('common.cancel')}
            </button>
          </p>
        ) : (
          <button type="button" class="button button-small button-secondary" onClick={() => setConfirming(true)} aria-label={t('editor.retireSkuFor', { spec: sku.spec })}>
            {t('editor.retireSku')}
          </button>
        )}
      </div>
    </li>
  );
}

/** A new SKU for a product that exists. */
function AddSkuForm({ product, onAdded }: { product: Product; onAdded: (sku: Sku) => void }) {
  const empty = { spec: '', price: '', stock: '', weight: '' };
  const [f, setF] = useState(empty);
  const [done, setDone] = useState<string | null>(null);
  const p = 'new-sku';
  const form = useSubmit([], (field) => (SERVER_SKU_FIELD[field] ? `${p}-${SERVER_SKU_FIELD[field]}` : null));
  const full = product.skus.length >= MAX_SKUS;
  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const errors = checkSkuFields(p, f);
    if (Object.keys(errors).length) return form.failMany(errors);
    const sku = await form.run(() =>
      addSku(product.id, {
        spec: f.spec.trim(),
        price_fen: parseYuan(f.price)!,
        stock: Number.parseInt(f.stock.trim(), 10),
        weight_g: Number.parseInt(f.weight.trim(), 10),
      }),
    );
    if (sku) {
      onAdded(sku);
      setF(empty);
      setDone(t('editor.skuAdded'));
    }
  };
  const input = (k: keyof typeof empty, labelKey: MessageKey, mode?: 'decimal' | 'numeric') => (
    <Field
      id={`${p}-${k}`}
      name={k}
      labelKey={labelKey}
      value={f[k]}
      onValue={(v) => setF({ ...f, [k]: v })}
      error={form.fieldErrors[`${p}-${k}`]}
      maxLength={k === 'spec' ? SPEC_MAX : 12}
      inputMode={mode}
      inputRef={form.ref(`${p}-${k}`)}
      dir={mode ? 'ltr' : 'auto'}
    />
  );
  return (
    <form class="sku-add" onSubmit={submit} noValidate id="add-sku-form" aria-labelledby="add-sku-title">
      <h3 id="add-sku-title">{t('editor.addSku')}</h3>
      <ProblemAlert error={form.error} />
      {full ? (
        <p class="muted">{t('editor.skusFull', { n: num(MAX_SKUS) })}</p>
      ) : (
        <>
          <div class="sku-row">
            {input('spec', 'sku.spec')}
            {input('price', 'sku.priceYuan', 'decimal')}
            {input('stock', 'sku.stock', 'numeric')}
            {input('weight', 'sku.weight', 'numeric')}
          </div>
          <button type="submit" class="button button-small" disabled={form.busy}>
            {t('editor.addSku')}
          </button>
        </>
      )}
      <StatusMessage text={done} />
    </form>
  );
}

function StockSection({ product, onChange }: { product: Product; onChange: (p: Product) => void }) {
  return (
    <section class="card" aria-labelledby="stock-title">
      <h2 id="stock-title">{t('editor.skus')}</h2>
      <p class="field-hint">{t('editor.skusEditHint')}</p>
      <ul class="stock-list" id="stock-list">
        {product.skus.map((sku) => (
          <SkuRowEditor
            key={sku.id}
            sku={sku}
            last={product.skus.length === 1}
            onSaved={(saved) => onChange({ ...product, skus: product.skus.map((s) => (s.id === saved.id ? saved : s)) })}
            onRetired={(gone) => onChange({ ...product, skus: product.skus.filter((s) => s.id !== gone) })}
          />
        ))}
      </ul>
      <AddSkuForm product={product} onAdded={(sku) => onChange({ ...product, skus: [...product.skus, sku] })} />
    </section>
  );
}

function ImagesSection({ product, onChange }: { product: Product; onChange: (p: Product) => void }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [progress, setProgress] = useState<string | null>(null);
  const [tooBig, setTooBig] = useState<string | null>(null);
  const input = useRef<HTMLInputElement>(null);
  const images = product.images;
  // The latest product, for uploads that finish one after another.
  const latest = useRef(product);
  latest.current = product;

  const onFiles = async (e: TargetedEvent<HTMLInputElement>) => {
    const files = [...(e.currentTarget.files ?? [])];
    if (!files.length) return;
    setError(null);
    setTooBig(null);
    setBusy(true);
    try {
      let n = 0;
      for (const file of files) {
        n += 1;
        if (file.size > MAX_IMAGE_BYTES) {
          setTooBig(t('images.tooBig', { name: file.name }));
          continue;
        }
        setProgress(t('images.uploading', { n, total: files.length }));
        const image = await uploadImage(product.id, file, file.name);
        const have = latest.current;
        if (!have.images.some((i) => i.hash === image.hash)) {
          const next = { ...have, images: [...have.images, image] };
          latest.current = next;
          onChange(next);
        }
      }
      setProgress(t('images.uploaded'));
    } catch (err) {
      setError(err);
      setProgress(null);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const act = async (action: () => Promise<Product | void>, optimistic: ProductImage[]) => {
    setError(null);
    setProgress(null);
    setBusy(true);
    try {
      const reply = await action();
      onChange(reply && reply.images ? reply : { ...latest.current, images: optimistic });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };

  const move = (index: number, by: number) => {
    const order = [...images];
    const [img] = order.splice(index, 1);
    order.splice(index + by, 0, img!);
    void act(() => reorderImages(product.id, order.map((i) => i.hash)), order);
  };

  const remove = (hash: string) => {
    void act(() => deleteImage(product.id, hash), images.filter((i) => i.hash !== hash));
  };

  return (
    <section class="card" aria-labelledby="images-title">
      <h2 id="images-title">{t('images.title')}</h2>
      <p class="field-hint">{t('images.hint')}</p>
      <ProblemAlert error={error} id="images-error" />
      {tooBig && (
        <p class="field-error" role="alert">
          {tooBig}
        </p>
      )}
      {images.length > 0 ? (
        <ol class="image-list" id="image-list">
          {images.map((img, i) => (
            <li key={img.hash} class="image-item" data-hash={img.hash}>
              <img src={img.thumb_url} alt={t('images.nth', { n: i + 1 })} width={96} height={96} loading="lazy" />
              <div class="image-actions">
                <button
                  type="button"
                  class="button button-secondary button-small"
                  disabled={busy || i === 0}
                  onClick={() => move(i, -1)}
                  aria-label={t('images.moveUpN', { n: i + 1 })}
                  data-action="up"
                >
                  {t('images.moveUp')}
                </button>
                <button
                  type="button"
                  class="button button-secondary button-small"
                  disabled={busy || i === images.length - 1}
                  onClick={() => move(i, 1)}
                  aria-label={t('images.moveDownN', { n: i + 1 })}
                  data-action="down"
                >
                  {t('images.moveDown')}
                </button>
                <button
                  type="button"
                  class="button button-secondary button-small"
                  disabled={busy}
                  onClick={() => remove(img.hash)}
                  aria-label={t('images.deleteN', { n: i + 1 })}
                  data-action="delete"
                >
                  {t('images.delete')}
                </button>
              </div>
            </li>
          ))}
        </ol>
      ) : (
        <p class="empty">{t('images.none')}</p>
      )}
      <div class="file-field">
        <label for="image-input" class="button button-secondary file-button">
          {t('images.add')}
        </label>
        <input
          ref={input}
          id="image-input"
          class="visually-hidden"
          type="file"
          accept="image/jpeg,image/png,image/webp,image/gif"
          multiple
          disabled={busy}
          onChange={onFiles}
        />
      </div>
      <p class="status-message" role="status" aria-live="polite" id="images-status">
        {progress}
      </p>
    </section>
  );
}

function BatchCard({ batch, id }: { batch: Batch; id?: string }) {
  return (
    <li class="batch-item" id={id} data-code={batch.code}>
      <p>
        <span class="batch-label">{t('batch.code')}</span> <code class="batch-code">{batch.code}</code>
      </p>
      <p>
        <span class="batch-label">{t('batch.harvestedOn')}</span> <span dir="ltr">{batch.harvested_on}</span>
      </p>
      <p>
        <span class="batch-label">{t('batch.origin')}</span> <RegionPath code={batch.origin_region_code} />
      </p>
      {batch.certification && (
        <p>
          <span class="batch-label">{t('batch.certification')}</span> <span dir="auto">{batch.certification}</span>
        </p>
      )}
      <p>
        {/* Served by the server, outside the app. */}
        <a href={batch.trace_url} class="trace-link">
          {t('batch.trace')}
        </a>
      </p>
      <img
        class="qr"
        src={qrUrl(batch.code)}
        alt={t('batch.qrAlt', { code: batch.code })}
        width={160}
        height={160}
        loading="lazy"
      />
    </li>
  );
}

function BatchesSection({ product, defaultOrigin }: { product: Product; defaultOrigin: string | null }) {
  const [batches, setBatches] = useState<Batch[]>(product.batches ?? []);
  const [created, setCreated] = useState<string | null>(null);
  const [harvested, setHarvested] = useState('');
  // The picker starts at the shop's township or village; it reports only later choices.
  const [origin, setOrigin] = useState<Chosen | null>(
    defaultOrigin ? { code: defaultOrigin, level: defaultOrigin.length > 9 ? 'village' : 'township' } : null,
  );
  const [cert, setCert] = useState('');
  const form = useSubmit(['harvested_on', 'origin_region_code', 'certification']);
  const today = todayInShanghai();

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setCreated(null);
    const errors: Record<string, string> = {};
    if (!/^\d{4}-\d{2}-\d{2}$/.test(harvested)) errors.harvested_on = t('batch.dateRequired');
    else if (harvested > today) errors.harvested_on = t('batch.dateFuture');
    if (!origin || (origin.level !== 'township' && origin.level !== 'village')) {
      errors.origin_region_code = t('batch.originLevel');
    }
    if (Object.keys(errors).length) return form.failMany(errors);
    const batch = await form.run(() =>
      createBatch(product.id, { harvested_on: harvested, origin_region_code: origin!.code, certification: cert.trim() }),
    );
    if (batch) {
      setBatches((have) => [batch, ...have]);
      setCreated(batch.code);
      setCert('');
    }
  };

  return (
    <section class="card" aria-labelledby="batches-title">
      <h2 id="batches-title">{t('product.batches')}</h2>
      <p class="field-hint">{t('batch.intro')}</p>
      <form id="batch-form" class="form" onSubmit={submit} noValidate>
        <ProblemAlert error={form.error} id="batch-error" />
        <Field
          id="batch-date"
          name="harvested_on"
          type="date"
          labelKey="batch.harvestedOn"
          value={harvested}
          onValue={setHarvested}
          error={form.fieldErrors.harvested_on}
          required
          max={today}
          inputRef={form.ref('harvested_on')}
          dir="ltr"
        />
        <div class={form.fieldErrors.origin_region_code ? 'field-invalid' : undefined}>
          <RegionPicker id="batch-origin" legendKey="batch.originVillage" value={defaultOrigin} onChange={(r) => setOrigin(r)} />
          {form.fieldErrors.origin_region_code && (
            <p class="field-error" id="batch-origin-error" role="alert">
              {form.fieldErrors.origin_region_code}
            </p>
          )}
        </div>
        <Field
          id="batch-cert"
          name="certification"
          labelKey="batch.certification"
          hintKey="batch.certificationHint"
          value={cert}
          onValue={setCert}
          error={form.fieldErrors.certification}
          maxLength={CERT_MAX}
          inputRef={form.ref('certification')}
          dir="auto"
        />
        <button type="submit" class="button" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('batch.add')}
        </button>
        <StatusMessage text={created ? t('batch.created', { code: created }) : null} />
      </form>
      {batches.length > 0 && (
        <ul class="batch-list" id="batch-list">
          {batches.map((b) => (
            <BatchCard key={b.code} batch={b} id={b.code === created ? 'batch-created' : undefined} />
          ))}
        </ul>
      )}
    </section>
  );
}

function EditProduct({ productId, created }: { productId: string; created: boolean }) {
  const data = useAsync(async () => {
    const [product, tree] = await Promise.all([getProduct(productId), categories()]);
    const shop = product.shop ?? (await getShop(product.shop_id).catch(() => null));
    return { product, tree, shop };
  }, [productId]);

  if (data.error) {
    const missing = data.error instanceof ApiError && data.error.status === 404;
    return (
      <>
        <ProblemAlert error={data.error} />
        {!missing && (
          <button type="button" class="button" onClick={data.reload}>
            {t('common.retry')}
          </button>
        )}
      </>
    );
  }
  if (!data.data) {
    return (
      <p class="loading" role="status">
        {t('common.loading')}
      </p>
    );
  }
  const { product, tree, shop } = data.data;
  const update = (p: Product) => data.set({ ...data.data!, product: { ...product, ...p, batches: product.batches } });
  return (
    <div data-product-id={product.id} id="product-editor">
      <p class="breadcrumb">
        <Link href={`/seller/shops/${encodeURIComponent(product.shop_id)}`} dir="auto">
          {shop ? shop.name : t('sellerShop.title')}
        </Link>
      </p>
      {created && (
        <p class="alert alert-ok" role="status" id="product-created">
          {t('editor.createdNotice')}
        </p>
      )}
      <p class="editor-head">
        <span class="badge">{product.on_sale ? t('sellerShop.statusOn') : t('sellerShop.statusOff')}</span>{' '}
        <Link href={`/product/${encodeURIComponent(product.id)}`} id="view-product">
          {t('editor.viewProduct')}
        </Link>
      </p>
      <EditDetails product={product} tree={tree} onSaved={update} />
      <StockSection product={product} onChange={update} />
      <ImagesSection product={product} onChange={update} />
      <BatchesSection product={product} defaultOrigin={shop?.region_code ?? null} />
    </div>
  );
}

export default function ProductEditor({ params, query }: PageProps) {
  const creating = params.shopId !== undefined;
  return (
    <div class="page page-narrow product-editor">
      <h1>{creating ? t('editor.newTitle') : t('editor.editTitle')}</h1>
      {creating ? (
        <CreateProduct shopId={params.shopId!} />
      ) : (
        <EditProduct productId={params.id ?? ''} created={query.get('created') === '1'} />
      )}
    </div>
  );
}
