// A shop's shipping fees: free shipping above an amount, a default rule for
// every province no other rule names, and rules for chosen provinces (first
// weight and its fee, each further step and its fee, remote or not). Amounts
// are typed in yuan and sent in fen; the server checks the whole template.
import type { TargetedSubmitEvent } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { saveShippingTemplate, shippingTemplate } from '../../api/pricing';
import { regionChildren } from '../../api/regions';
import type { Region, ShippingRule, ShippingTemplate as Template } from '../../api/types';
import { Field } from '../../components/Field';
import { ProblemAlert, StatusMessage } from '../../components/ProblemAlert';
import { SellerShopHead } from '../../components/SellerNav';
import { useAsync } from '../../components/useAsync';
import { useSubmit } from '../../components/useSubmit';
import { num, t } from '../../i18n';
import { fenToYuanText, parseYuan } from '../../money.js';
import type { PageProps } from '../../routes';

/** A rule as edited: figures as typed. */
interface RuleDraft {
  key: number;
  provinces: string[];
  first_weight_g: string;
  first_fen: string;
  additional_weight_g: string;
  additional_fen: string;
  remote: boolean;
}

const MAX_RULES = 20;
let nextKey = 1;

function draftOf(rule: ShippingRule): RuleDraft {
  return {
    key: nextKey++,
    provinces: [...rule.provinces],
    first_weight_g: String(rule.first_weight_g),
    first_fen: fenToYuanText(rule.first_fen),
    additional_weight_g: String(rule.additional_weight_g),
    additional_fen: fenToYuanText(rule.additional_fen),
    remote: rule.remote,
  };
}

function emptyRule(isDefault: boolean): RuleDraft {
  return draftOf({
    provinces: [],
    first_weight_g: 1000,
    first_fen: isDefault ? 800 : 1200,
    additional_weight_g: 1000,
    additional_fen: isDefault ? 400 : 800,
    remote: false,
  });
}

/** Grams as typed: a whole positive number, or null. */
function grams(text: string): number | null {
  const s = text.trim();
  if (!/^\d{1,7}$/.test(s)) return null;
  const n = Number.parseInt(s, 10);
  return n > 0 ? n : null;
}

const FIELDS = ['first_weight_g', 'first_fen', 'additional_weight_g', 'additional_fen', 'provinces'] as const;

function RuleEditor({
  index,
  rule,
  provinces,
  errors,
  refFor,
  onChange,
  onRemove,
}: {
  index: number;
  rule: RuleDraft;
  provinces: Region[];
  errors: Record<string, string>;
  refFor: (name: string) => (el: HTMLElement | null) => void;
  onChange: (rule: RuleDraft) => void;
  onRemove: (() => void) | null;
}) {
  const p = `rule-${index}`;
  const isDefault = index === 0;
  const set = (field: keyof RuleDraft) => (value: string) => onChange({ ...rule, [field]: value });
  const toggle = (code: string, on: boolean) =>
    onChange({ ...rule, provinces: on ? [...rule.provinces, code] : rule.provinces.filter((c) => c !== code) });
  return (
    <fieldset class="card shipping-rule" id={p} data-default={isDefault ? 'true' : 'false'}>
      <legend>{isDefault ? t('shipping.defaultRule') : t('shipping.rule', { n: num(index) })}</legend>
      {isDefault ? (
        <p class="muted">{t('shipping.defaultHint')}</p>
      ) : (
        <fieldset
          class={`province-picker${errors[`${p}-provinces`] ? ' field-invalid' : ''}`}
          id={`${p}-provinces`}
          aria-describedby={errors[`${p}-provinces`] ? `${p}-provinces-error` : undefined}
        >
          <legend>{t('shipping.provinces')}</legend>
          <div class="province-options">
            {provinces.map((r, i) => (
              <label class="check" key={r.code}>
                <input
                  type="checkbox"
                  value={r.code.slice(0, 2)}
                  checked={rule.provinces.includes(r.code.slice(0, 2))}
                  onChange={(e) => toggle(r.code.slice(0, 2), e.currentTarget.checked)}
                  ref={i === 0 ? refFor(`${p}-provinces`) : undefined}
                />
                <span>{r.name}</span>
              </label>
            ))}
          </div>
          {errors[`${p}-provinces`] && (
            <p class="field-error" id={`${p}-provinces-error`}>
              {errors[`${p}-provinces`]}
            </p>
          )}
        </fieldset>
      )}
      <div class="field-grid">
        <Field
          id={`${p}-first_weight_g`}
          name="first_weight_g"
          labelKey="shipping.firstWeight"
          value={rule.first_weight_g}
          onValue={set('first_weight_g')}
          error={errors[`${p}-first_weight_g`]}
          inputMode="numeric"
          dir="ltr"
          required
          inputRef={refFor(`${p}-first_weight_g`)}
        />
        <Field
          id={`${p}-first_fen`}
          name="first_fen"
          labelKey="shipping.firstFee"
          value={rule.first_fen}
          onValue={set('first_fen')}
          error={errors[`${p}-first_fen`]}
          inputMode="decimal"
          dir="ltr"
          required
          inputRef={refFor(`${p}-first_fen`)}
        />
        <Field
          id={`${p}-additional_weight_g`}
          name="additional_weight_g"
          labelKey="shipping.additionalWeight"
          value={rule.additional_weight_g}
          onValue={set('additional_weight_g')}
          error={errors[`${p}-additional_weight_g`]}
          inputMode="numeric"
          dir="ltr"
          required
          inputRef={refFor(`${p}-additional_weight_g`)}
        />
        <Field
          id={`${p}-additional_fen`}
          name="additional_fen"
          labelKey="shipping.additionalFee"
          value={rule.additional_fen}
          onValue={set('additional_fen')}
          error={errors[`${p}-additional_fen`]}
          inputMode="decimal"
          dir="ltr"
          required
          inputRef={refFor(`${p}-additional_fen`)}
        />
      </div>
      <label class="check">
        <input
          type="checkbox"
          id={`${p}-remote`}
          checked={rule.remote}
          onChange={(e) => onChange({ ...rule, remote: e.currentTarget.checked })}
        />
        <span>{t('shipping.remote')}</span>
      </label>
      {onRemove && (
        <button type="button" class="button button-secondary button-small" id={`${p}-remove`} onClick={onRemove}>
          {t('shipping.removeRule')}
        </button>
      )}
    </fieldset>
  );
}

function TemplateForm({ shopId, initial }: { shopId: string; initial: Template }) {
  const [freeOver, setFreeOver] = useState(initial.free_over_fen ? fenToYuanText(initial.free_over_fen) : '');
  const [rules, setRules] = useState<RuleDraft[]>(() => {
    const list = initial.rules.length ? initial.rules : [];
    const def = list.find((r) => r.provinces.length === 0);
    return [def ? draftOf(def) : emptyRule(true), ...list.filter((r) => r !== def).map(draftOf)];
  });
  const [done, setDone] = useState<string | null>(null);
  const provinces = useAsync(() => regionChildren(null), []);
  // "rules[1].first_fen" from the server → the field "rule-1-first_fen" of the form.
  const form = useSubmit(['free_over_fen'], (field) => {
    const m = /^rules\[(\d+)\]\.(\w+)$/.exec(field);
    return m && (FIELDS as readonly string[]).includes(m[2]!) ? `rule-${m[1]}-${m[2]}` : null;
  });

  const submit = async (e: TargetedSubmitEvent<HTMLFormElement>) => {
    e.preventDefault();
    setDone(null);
    const errors: Record<string, string> = {};
    const free = freeOver.trim() ? parseYuan(freeOver) : 0;
    if (free === null) errors.free_over_fen = t('shipping.amountInvalid');
    const out: ShippingRule[] = rules.map((r, i) => {
      const p = `rule-${i}`;
      const rule = {
        provinces: i === 0 ? [] : r.provinces,
        first_weight_g: grams(r.first_weight_g),
        first_fen: parseYuan(r.first_fen),
        additional_weight_g: grams(r.additional_weight_g),
        additional_fen: parseYuan(r.additional_fen),
        remote: r.remote,
      };
      if (i > 0 && !rule.provinces.length) errors[`${p}-provinces`] = t('shipping.chooseProvinces');
      if (rule.first_weight_g === null) errors[`${p}-first_weight_g`] = t('shipping.gramsInvalid');
      if (rule.first_fen === null) errors[`${p}-first_fen`] = t('shipping.amountInvalid');
      if (rule.additional_weight_g === null) errors[`${p}-additional_weight_g`] = t('shipping.gramsInvalid');
      if (rule.additional_fen === null) errors[`${p}-additional_fen`] = t('shipping.amountInvalid');
      return rule as ShippingRule;
    });
    if (Object.keys(errors).length) return form.failMany(errors);
    const saved = await form.run(() => saveShippingTemplate(shopId, { free_over_fen: free ?? 0, rules: out }));
    if (saved) setDone(t('shipping.saved'));
  };

  return (
    <form id="shipping-form" class="form" onSubmit={submit} noValidate>
      <ProblemAlert error={form.error} id="shipping-error" />
      <ProblemAlert error={provinces.error} />
      <div class="card">
        <Field
          id="shipping-free-over"
          name="free_over_fen"
          labelKey="shipping.freeOver"
          hintKey="shipping.freeOverHint"
          value={freeOver}
          onValue={setFreeOver}
          error={form.fieldErrors.free_over_fen}
          inputMode="decimal"
          dir="ltr"
          inputRef={form.ref('free_over_fen')}
        />
      </div>
      {rules.map((r, i) => (
        <RuleEditor
          key={r.key}
          index={i}
          rule={r}
          provinces={provinces.data ?? []}
          errors={form.fieldErrors}
          refFor={form.ref}
          onChange={(next) => setRules(rules.map((x, j) => (j === i ? next : x)))}
          onRemove={i === 0 ? null : () => setRules(rules.filter((_, j) => j !== i))}
        />
      ))}
      <div class="actions">
        <button
          type="button"
          class="button button-secondary"
          id="shipping-add-rule"
          disabled={rules.length >= MAX_RULES}
          onClick={() => setRules([...rules, emptyRule(false)])}
        >
          {t('shipping.addRule')}
        </button>
        <button type="submit" class="button" id="shipping-save" disabled={form.busy} aria-busy={form.busy}>
          {form.busy ? t('common.working') : t('common.save')}
        </button>
      </div>
      <StatusMessage text={done} />
    </form>
  );
}

export default function ShippingTemplate({ params }: PageProps) {
  const shopId = params.id ?? '';
  const data = useAsync(() => shippingTemplate(shopId), [shopId]);
  // A new load (another shop) starts a new form.
  const [formKey, setFormKey] = useState(0);
  useEffect(() => setFormKey((k) => k + 1), [data.data]);
  return (
    <div class="page page-narrow seller-shipping" data-shop-id={shopId}>
      <SellerShopHead shopId={shopId} titleKey="shipping.title" />
      <p class="muted">{t('shipping.intro')}</p>
      <ProblemAlert error={data.error} id="shipping-load-error" />
      {data.error && !data.data ? (
        <button type="button" class="button" onClick={data.reload}>
          {t('common.retry')}
        </button>
      ) : !data.data ? (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      ) : (
        <TemplateForm key={formKey} shopId={shopId} initial={data.data} />
      )}
    </div>
  );
}
