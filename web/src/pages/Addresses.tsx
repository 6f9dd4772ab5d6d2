// The buyer's address book: the list (default first and marked), a form to
// add or edit one (region down to a township or village through the
// RegionPicker), making one the default, and deleting with a confirm step in
// place. The browser checks what the server checks, so most mistakes show on
// their field before any request; the server's field errors land there too.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useRef, useState } from 'preact/hooks';
import {
  addresses as fetchAddresses,
  charCount,
  createAddress,
  deleteAddress,
  DETAIL_MAX,
  editAddress,
  isPhone,
  MAX_ADDRESSES,
  NAME_MAX,
  type AddressFields,
} from '../api/addresses';
import type { Address, RegionLevel } from '../api/types';
import { Field } from '../components/Field';
import { ProblemAlert, StatusMessage } from '../components/ProblemAlert';
import { RegionPicker } from '../components/RegionPicker';
import { RegionPath } from '../components/ShopCard';
import { useAsync } from '../components/useAsync';
import { useSubmit } from '../components/useSubmit';
import { num, t } from '../i18n';

/** Where focus goes after a change that leaves no address to focus. */
const HEADING = '#heading';
const FIELDS = ['name', 'phone', 'region_code', 'detail', 'is_default'] as const;

/** Full-width digits, dashes and spaces (Chinese input methods) to ASCII; the server keeps the rest. */
function normalisePhone(text: string): string {
  return text
    .trim()
    .replace(/[\uFF10-\uFF19]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0xfee0))
    .replace(/[\uFF0D\u2010-\u2015]/g, '-')
    .replace(/[\u3000\u00A0]/g, ' ');
}

/** The level of a region code of the directory: 9 digits a township, 12 a village. */
function levelOfCode(code: string): RegionLevel | null {
  if (/^\d{12}$/.test(code)) return 'village';
  if (/^\d{9}$/.test(code)) return 'township';
  return null;
}

interface FormProps {
  address: Address | null;
  /** Whether the buyer has other addresses: the first one is the default anyway. */
  hasOthers: boolean;
  onSaved: (address: Address) => void;
  onCancel: (() => void) | null;
  /** Opened by the buyer (not shown on arrival): focus its first field. */
  autoFocus?: boolean;
}

function AddressForm({ address, hasOthers, onSaved, onCancel, autoFocus }: FormProps) {
  const [name, setName] = useState(address?.name ?? '');
  const [phone, setPhone] = useState(address?.phone ?? '');
  const [detail, setDetail] = useState(address?.detail ?? '');
  const [region, setRegion] = useState<{ code: string; level: RegionLevel | null } | null>(
    address ? { code: address.region_code, level: levelOfCode(address.region_code) } : null,
  );
  const [makeDefault, setMakeDefault] = useState(false);
  const form = useSubmit(FIELDS, (field) => (field === 'region' ? 'region_code' : null));
  const regionBox = useRef<HTMLDivElement>(null);
  // A region error focuses the deepest select of the picker.
  form.ref('region_code')({
    focus: () => [...(regionBox.current?.querySelectorAll('select') ?? [])].pop()?.focus(),
  } as HTMLElement);

  const nameInput = useRef<HTMLInputElement | null>(null);
  useEffect(() => {
    if (autoFocus) nameInput.current?.focus();
  }, []);

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    const fields: AddressFields = {
      name: name.trim(),
      phone: normalisePhone(phone),
      region_code: region?.code ?? '',
      detail: detail.trim(),
    };
    const problems: Record<string, string> = {};
    if (charCount(fields.name) < 1 || charCount(fields.name) > NAME_MAX) {
      problems.name = t('addresses.nameLength', { n: num(NAME_MAX) });
    }
    if (!isPhone(fields.phone)) problems.phone = t('addresses.phoneInvalid');
    if (!region || (region.level !== 'township' && region.level !== 'village')) {
      problems.region_code = t('addresses.regionLevel');
    }
    if (charCount(fields.detail) < 1 || charCount(fields.detail) > DETAIL_MAX) {
      problems.detail = t('addresses.detailLength', { n: num(DETAIL_MAX) });
    }
    if (Object.keys(problems).length) return form.failMany(problems);
    if (makeDefault) fields.is_default = true;
    const saved = await form.run(() => (address ? editAddress(address.id, fields) : createAddress(fields)));
    if (saved) onSaved(saved);
  };

  const titleId = address ? `address-${address.id}-form-title` : 'address-new-title';
  return (
    <form id="address-form" class="form" onSubmit={submit} noValidate aria-labelledby={titleId}>
      <h2 id={titleId}>{address ? t('addresses.editTitle') : t('addresses.addTitle')}</h2>
      <ProblemAlert error={form.error} id="address-error" />
      <Field
        id="address-name"
        name="name"
        labelKey="addresses.name"
        value={name}
        onValue={setName}
        error={form.fieldErrors.name}
        autoComplete="name"
        required
        maxLength={NAME_MAX * 2}
        inputRef={(el) => {
          nameInput.current = el;
          form.ref('name')(el);
        }}
        dir="auto"
      />
      <Field
        id="address-phone"
        name="phone"
        labelKey="addresses.phone"
        hintKey="addresses.phoneHint"
        value={phone}
        onValue={setPhone}
        error={form.fieldErrors.phone}
        autoComplete="tel"
        required
        maxLength={20}
        inputRef={form.ref('phone')}
        dir="ltr"
      />
      <div class={form.fieldErrors.region_code ? 'field-invalid' : undefined} ref={regionBox}>
        <RegionPicker
          id="address-region"
          legendKey="addresses.region"
          value={address?.region_code ?? null}
          onChange={(chosen) => setRegion(chosen ? { code: chosen.code, level: chosen.level } : null)}
        />
        <p class="field-hint">{t('addresses.regionHint')}</p>
        {form.fieldErrors.region_code && (
          <p class="field-error" id="address-region-error" role="alert">
            {form.fieldErrors.region_code}
          </p>
        )}
      </div>
      <Field
        id="address-detail"
        name="detail"
        labelKey="addresses.detail"
        value={detail}
        onValue={setDetail}
        error={form.fieldErrors.detail}
        autoComplete="address-line1"
        required
        maxLength={DETAIL_MAX * 2}
        inputRef={form.ref('detail')}
        dir="auto"
      />
      {hasOthers && !address?.is_default && (
        <label class="check">
          <input
            type="checkbox"
            id="address-default"
            name="is_default"
            checked={makeDefault}
            onChange={(e) => setMakeDefault(e.currentTarget.checked)}
          />
          <span>{t('addresses.makeDefault')}</span>
        </label>
      )}
      <div class="actions">
        <button type="submit" class="button" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('common.save')}
        </button>
        {onCancel && (
          <button type="button" class="button button-secondary" onClick={onCancel}>
            {t('common.cancel')}
          </button>
        )}
      </div>
    </form>
  );
}

interface CardProps {
  address: Address;
  onEdit: () => void;
  onChanged: (message: string) => void;
}

function AddressCard({ address, onEdit, onChanged }: CardProps) {
  const [confirming, setConfirming] = useState(false);
  const action = useSubmit([]);
  const idp = `address-${address.id}`;

  const makeDefault = async () => {
    const done = await action.run(() => editAddress(address.id, { is_default: true }));
    if (done) onChanged(t('addresses.defaultSet'));
  };
  const remove = async () => {
    const done = await action.run(async () => {
      await deleteAddress(address.id);
      return true;
    });
    if (done) onChanged(t('addresses.deleted'));
  };

  return (
    <>
      <p class="address-who">
        <span class="address-name" id={`${idp}-name`} dir="auto">
          {address.name}
        </span>{' '}
        <span class="address-phone" dir="ltr">
          {address.phone}
        </span>
        {address.is_default && <span class="badge address-default-badge">{t('addresses.default')}</span>}
      </p>
      <p class="address-region">
        <RegionPath code={address.region_code} />
      </p>
      <p class="address-detail" dir="auto">
        {address.detail}
      </p>
      <ProblemAlert error={action.error} />
      {confirming ? (
        <div class="confirm" role="group" aria-labelledby={`${idp}-confirm`}>
          <p id={`${idp}-confirm`}>{t('addresses.deleteQuestion')}</p>
          <div class="actions">
            <button
              type="button"
              class="button button-danger button-small"
              data-action="confirm-delete"
              disabled={action.busy}
              onClick={() => void remove()}
            >
              {t('addresses.confirmDelete')}
            </button>
            <button
              type="button"
              class="button button-secondary button-small"
              data-action="cancel-delete"
              onClick={() => setConfirming(false)}
            >
              {t('common.cancel')}
            </button>
          </div>
        </div>
      ) : (
        <div class="actions">
          <button
            type="button"
            class="button button-secondary button-small"
            data-action="edit"
            aria-label={t('addresses.editFor', { name: address.name })}
            onClick={onEdit}
          >
            {t('addresses.edit')}
          </button>
          {!address.is_default && (
            <button
              type="button"
              class="button button-secondary button-small"
              data-action="default"
              disabled={action.busy}
              aria-label={t('addresses.setDefaultFor', { name: address.name })}
              onClick={() => void makeDefault()}
            >
              {t('addresses.setDefault')}
            </button>
          )}
          <button
            type="button"
            class="button button-secondary button-small"
            data-action="delete"
            aria-label={t('addresses.deleteFor', { name: address.name })}
            onClick={() => setConfirming(true)}
          >
            {t('addresses.delete')}
          </button>
        </div>
      )}
    </>
  );
}

export default function Addresses() {
  const list = useAsync(fetchAddresses, []);
  /** The address being edited, 'new' for the add form, null for none. */
  const [editing, setEditing] = useState<string | null>(null);
  const [status, setStatus] = useState<string | null>(null);
  const [focusId, setFocusId] = useState<string | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  const items = list.data ?? [];
  const empty = list.data !== null && items.length === 0;
  const full = items.length >= MAX_ADDRESSES;

  // After saving, focus moves to the saved address; after deleting, to the heading.
  useEffect(() => {
    if (!focusId || list.loading) return;
    const card =
      focusId === HEADING ? null : document.querySelector<HTMLElement>(`[data-address-id="${CSS.escape(focusId)}"]`);
    (focusId === HEADING ? heading.current : (card ?? heading.current))?.focus();
    setFocusId(null);
  }, [focusId, list.loading]);

  const changed = (message: string, focus: string | null) => {
    setStatus(message);
    setEditing(null);
    setFocusId(focus ?? HEADING);
    list.reload();
  };

  return (
    <div class="page page-narrow addresses-page">
      <h1 ref={heading} tabIndex={-1}>
        {t('addresses.title')}
      </h1>
      <p class="muted">{t('addresses.intro')}</p>
      <StatusMessage text={status} />
      <ProblemAlert error={list.error} id="addresses-error" />
      {list.error && !list.data ? (
        <button type="button" class="button" onClick={list.reload}>
          {t('common.retry')}
        </button>
      ) : list.data === null ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <>
          {empty && (
            <p class="empty" id="addresses-empty">
              {t('addresses.empty')}
            </p>
          )}
          {items.length > 0 && (
            <ul class="address-list" id="address-list">
              {items.map((a) => (
                <li
                  key={a.id}
                  class={`card address-card${a.is_default ? ' address-card-default' : ''}`}
                  data-address-id={a.id}
                  data-default={a.is_default ? 'true' : 'false'}
                  aria-labelledby={`address-${a.id}-name`}
                  tabIndex={-1}
                >
                  {editing === a.id ? (
                    <AddressForm
                      address={a}
                      hasOthers={items.length > 1}
                      onSaved={(saved) => changed(t('addresses.saved'), saved.id)}
                      onCancel={() => setEditing(null)}
                      autoFocus
                    />
                  ) : (
                    <AddressCard
                      address={a}
                      onEdit={() => setEditing(a.id)}
                      onChanged={(message) => changed(message, null)}
                    />
                  )}
                </li>
              ))}
            </ul>
          )}
          {editing === 'new' || empty ? (
            full ? null : (
              <section class="card">
                <AddressForm
                  key={`new-${items.length}`}
                  address={null}
                  hasOthers={items.length > 0}
                  onSaved={(saved) => changed(t('addresses.saved'), saved.id)}
                  onCancel={empty ? null : () => setEditing(null)}
                  autoFocus={!empty}
                />
              </section>
            )
          ) : full ? (
            <p class="muted" id="addresses-full">
              {t('addresses.full', { n: num(MAX_ADDRESSES) })}
            </p>
          ) : (
            <button type="button" class="button" id="address-add" onClick={() => setEditing('new')}>
              {t('addresses.add')}
            </button>
          )}
        </>
      )}
    </div>
  );
}
