// The statistics office's dashboard (county officers and admins): a period
// picker, headline cards, the monthly series beside the year before, the
// breakdowns with bars, poverty relief, residents' consumption, drill-down
// into townships with a breadcrumb back up, and the report files. The region
// and period live in the address (?region=&period=), so drilling down is a
// navigation the back button undoes.
import type { ComponentChildren } from 'preact';
import {
  consumption,
  exportUrl,
  GROUP_BYS,
  retail,
  series,
  type Consumption,
  type Figures,
  type GroupBy,
  type Retail,
  type SeriesPoint,
  type StatsGroup,
} from '../../api/stats';
import { regionWithPath } from '../../api/regions';
import type { Region } from '../../api/types';
import { SelectField } from '../../components/Field';
import { shopKindLabel } from '../../components/labels';
import { ProblemAlert } from '../../components/ProblemAlert';
import { useAsync } from '../../components/useAsync';
import { money, num, t, type MessageKey } from '../../i18n';
import { todayInShanghai } from '../../i18n/format.js';
import { Link, navigate } from '../../router';
import type { PageProps } from '../../routes';
import { user } from '../../state/session';

type Kind = 'year' | 'quarter' | 'month';
interface Period {
  kind: Kind;
  year: number;
  index: number; // quarter 1–4, month 1–12, 0 for a year
}

const FIRST_YEAR = 2000;

function thisMonth(): { year: number; month: number } {
  const [y, m] = todayInShanghai().split('-');
  return { year: Number(y), month: Number(m) };
}

export function parsePeriod(text: string | null): Period | null {
  if (!text) return null;
  let m = /^(\d{4})$/.exec(text);
  if (m) return { kind: 'year', year: Number(m[1]), index: 0 };
  m = /^(\d{4})Q([1-4])$/.exec(text);
  if (m) return { kind: 'quarter', year: Number(m[1]), index: Number(m[2]) };
  m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(text);
  if (m) return { kind: 'month', year: Number(m[1]), index: Number(m[2]) };
  return null;
}

export function periodName(p: Period): string {
  if (p.kind === 'year') return String(p.year);
  if (p.kind === 'quarter') return `${p.year}Q${p.index}`;
  return `${p.year}-${String(p.index).padStart(2, '0')}`;
}

function periodLabel(p: Period): string {
  if (p.kind === 'year') return t('stats.periodYear', { year: p.year });
  if (p.kind === 'quarter') return t('stats.periodQuarter', { year: p.year, n: p.index });
  return t('stats.periodMonth', { year: p.year, n: p.index });
}

/** The same kind of period for another year or index, never one that has not started. */
function clampPeriod(p: Period): Period {
  const now = thisMonth();
  const year = Math.min(Math.max(p.year, FIRST_YEAR), now.year);
  let index = p.index;
  if (year === now.year) {
    if (p.kind === 'month') index = Math.min(index, now.month);
    if (p.kind === 'quarter') index = Math.min(index, Math.ceil(now.month / 3));
  }
  return { kind: p.kind, year, index };
}

function pct(value: number | null): string {
  if (value === null) return t('stats.noGrowth');
  const text = num(Math.abs(value), { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  return t(value > 0 ? 'stats.pctUp' : value < 0 ? 'stats.pctDown' : 'stats.pctFlat', { value: text });
}

function growthClass(value: number | null): string {
  return value === null || value === 0 ? '' : value > 0 ? ' stats-up' : ' stats-down';
}

const GROUP_TITLES: Record<GroupBy, MessageKey> = {
  township: 'stats.byTownship',
  category: 'stats.byCategory',
  seller_kind: 'stats.bySellerKind',
  channel: 'stats.byChannel',
  poverty_relief: 'stats.povertyRelief',
};

function groupName(by: GroupBy, g: StatsGroup): string {
  if (by === 'seller_kind') return shopKindLabel(g.key);
  if (by === 'channel') return g.key === 'live' ? t('stats.channelLive') : t('stats.channelShop');
  if (by === 'poverty_relief') return g.key === 'true' ? t('stats.povertyYes') : t('stats.povertyNo');
  return g.name;
}

interface Dashboard {
  head: Retail;
  groups: Record<GroupBy, StatsGroup[]>;
  series: SeriesPoint[];
  consumption: Consumption;
  path: Region[];
}

async function loadDashboard(region: string | undefined, period: Period): Promise<Dashboard> {
  const name = periodName(period);
  const head = await retail(region, name);
  const code = head.region;
  const [groups, points, cons, place] = await Promise.all([
    Promise.all(GROUP_BYS.map((by) => retail(code, name, by))),
    series(code, String(period.year - 1 >= FIRST_YEAR ? period.year - 1 : period.year), String(period.year)),
    consumption(code, name),
    regionWithPath(code),
  ]);
  const byKey = {} as Record<GroupBy, StatsGroup[]>;
  GROUP_BYS.forEach((by, i) => (byKey[by] = groups[i].groups));
  return { head, groups: byKey, series: points, consumption: cons, path: [...place.path, place] };
}

function PeriodPicker({ period, onChange }: { period: Period; onChange: (p: Period) => void }) {
  const now = thisMonth();
  const years: number[] = [];
  for (let y = now.year; y >= Math.max(FIRST_YEAR, now.year - 9); y--) years.push(y);
  const setKind = (kind: Kind) => {
    let index = 0;
    if (kind === 'quarter') index = period.kind === 'month' ? Math.ceil(period.index / 3) : 1;
    if (kind === 'month') index = period.kind === 'quarter' ? period.index * 3 - 2 : 1;
    onChange(clampPeriod({ kind, year: period.year, index }));
  };
  const maxIndex = period.kind === 'quarter' ? 4 : 12;
  const indexes: number[] = [];
  for (let i = 1; i <= maxIndex; i++) {
    if (clampPeriod({ ...period, index: i }).index === i) indexes.push(i);
  }
  return (
    <form
      class="card stats-picker"
      id="stats-period"
      onSubmit={(e) => e.preventDefault()}
      aria-label={t('stats.period')}
    >
      <SelectField
        id="stats-kind"
        name="kind"
        labelKey="stats.periodKind"
        value={period.kind}
        onValue={(v) => setKind(v as Kind)}
      >
        <option value="year">{t('stats.kindYear')}</option>
        <option value="quarter">{t('stats.kindQuarter')}</option>
        <option value="month">{t('stats.kindMonth')}</option>
      </SelectField>
      <SelectField
        id="stats-year"
        name="year"
        labelKey="stats.year"
        value={String(period.year)}
        onValue={(v) => onChange(clampPeriod({ ...period, year: Number(v) }))}
      >
        {years.map((y) => (
          <option key={y} value={String(y)}>
            {t('stats.periodYear', { year: y })}
          </option>
        ))}
      </SelectField>
      {period.kind !== 'year' && (
        <SelectField
          id="stats-index"
          name="index"
          labelKey={period.kind === 'quarter' ? 'stats.quarter' : 'stats.month'}
          value={String(period.index)}
          onValue={(v) => onChange({ ...period, index: Number(v) })}
        >
          {indexes.map((i) => (
            <option key={i} value={String(i)}>
              {period.kind === 'quarter' ? t('stats.quarterN', { n: i }) : t('stats.monthN', { n: i })}
            </option>
          ))}
        </SelectField>
      )}
    </form>
  );
}

interface HeadCardProps {
  id: string;
  label: string;
  value: string;
  note?: string;
  cls?: string;
}

function HeadCard({ id, label, value, note, cls = '' }: HeadCardProps) {
  return (
    <li class={`card stats-card${cls}`} id={id}>
      <p class="stats-card-label">{label}</p>
      <p class="stats-card-value" dir="ltr">
        {value}
      </p>
      {note && <p class="muted stats-card-note">{note}</p>}
    </li>
  );
}

function Headline({ head }: { head: Retail }) {
  return (
    <ul class="stats-cards" id="stats-headline" aria-label={t('stats.headline')}>
      <HeadCard
        id="stats-net"
        label={t('stats.net')}
        value={money(head.net_fen)}
        note={t('stats.grossRefunds', { gross: money(head.gross_fen), refunds: money(head.refunds_fen) })}
      />
      <HeadCard
        id="stats-yoy"
        label={t('stats.yoy')}
        value={pct(head.yoy_pct)}
        note={t('stats.prevYearNet', { net: money(head.prev_year_net_fen) })}
        cls={growthClass(head.yoy_pct)}
      />
      <HeadCard
        id="stats-qoq"
        label={t('stats.qoq')}
        value={pct(head.qoq_pct)}
        note={t('stats.prevPeriodNet', { net: money(head.prev_period_net_fen) })}
        cls={growthClass(head.qoq_pct)}
      />
      <HeadCard id="stats-orders" label={t('stats.orders')} value={num(head.orders)} />
    </ul>
  );
}

/** Monthly net sales of the period's year (bars) beside the year before (lighter bars). */
function SeriesChart({ points, year }: { points: SeriesPoint[]; year: number }) {
  const months = Array.from({ length: 12 }, (_, i) => i + 1);
  const value = (y: number, m: number) =>
    points.find((p) => p.period === `${y}-${String(m).padStart(2, '0')}`)?.net_fen ?? null;
  const cur = months.map((m) => value(year, m));
  const prev = months.map((m) => value(year - 1, m));
  const top = Math.max(1, ...cur.map((v) => v ?? 0), ...prev.map((v) => v ?? 0));
  const W = 360;
  const H = 180;
  const base = 160;
  const slot = W / 12;
  const h = (v: number | null) => (v && v > 0 ? (v / top) * (base - 10) : 0);
  const described = months
    .map((m, i) =>
      t('stats.chartMonth', {
        n: m,
        current: cur[i] === null ? t('stats.noGrowth') : money(cur[i]!),
        previous: money(prev[i] ?? 0),
      }),
    )
    .join(t('common.listSeparator'));
  return (
    <section class="card stats-series" aria-labelledby="stats-series-title">
      <h2 id="stats-series-title">{t('stats.series')}</h2>
      <svg viewBox={`0 0 ${W} ${H}`} class="stats-chart" role="img" aria-label={described} id="stats-chart">
        <line x1="0" x2={W} y1={base} y2={base} class="stats-axis" />
        {months.map((m, i) => (
          <g key={m}>
            <rect
              class="stats-bar-prev"
              x={i * slot + slot * 0.14}
              width={slot * 0.34}
              y={base - h(prev[i])}
              height={h(prev[i])}
            />
            <rect
              class="stats-bar-cur"
              data-month={m}
              data-fen={cur[i] ?? ''}
              x={i * slot + slot * 0.5}
              width={slot * 0.34}
              y={base - h(cur[i])}
              height={h(cur[i])}
            />
            <text x={i * slot + slot / 2} y={H - 4} class="stats-chart-label" text-anchor="middle">
              {num(m)}
            </text>
          </g>
        ))}
      </svg>
      <p class="stats-legend">
        <span class="stats-key stats-key-cur" aria-hidden="true" />
        {t('stats.legendYear', { year })}
        <span class="stats-key stats-key-prev" aria-hidden="true" />
        {t('stats.legendYear', { year: year - 1 })}
      </p>
    </section>
  );
}

function Bar({ share }: { share: number }) {
  return (
    <span class="stats-bar" aria-hidden="true">
      <span style={{ inlineSize: `${Math.max(0, Math.min(100, share * 100)).toFixed(1)}%` }} />
    </span>
  );
}

function Breakdown({
  by,
  groups,
  drill,
}: {
  by: GroupBy;
  groups: StatsGroup[];
  drill?: (g: StatsGroup) => string | null;
}) {
  const top = Math.max(1, ...groups.map((g) => g.net_fen));
  const id = `stats-by-${by.replace('_', '-')}`;
  return (
    <section class="card stats-breakdown" id={id} aria-labelledby={`${id}-title`}>
      <h2 id={`${id}-title`}>{t(GROUP_TITLES[by])}</h2>
      {!groups.length ? (
        <p class="muted">{t('stats.none')}</p>
      ) : (
        <table class="stats-table">
          <thead>
            <tr>
              <th scope="col">{t('stats.colName')}</th>
              <th scope="col">{t('stats.net')}</th>
              <th scope="col">{t('stats.orders')}</th>
              <th scope="col">{t('stats.yoy')}</th>
            </tr>
          </thead>
          <tbody>
            {groups.map((g) => {
              const href = drill?.(g) ?? null;
              const name = groupName(by, g);
              return (
                <tr key={g.key} data-key={g.key}>
                  <th scope="row" dir="auto">
                    {href ? (
                      <Link href={href} class="stats-drill" aria-label={t('stats.drillInto', { name })}>
                        {name}
                      </Link>
                    ) : (
                      name
                    )}
                    <Bar share={g.net_fen / top} />
                  </th>
                  <td dir="ltr" data-fen={g.net_fen}>
                    {money(g.net_fen)}
                  </td>
                  <td>{num(g.orders)}</td>
                  <td class={growthClass(g.yoy_pct).trim()}>{pct(g.yoy_pct)}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
    </section>
  );
}

function PovertyPanel({ groups, total }: { groups: StatsGroup[]; total: number }) {
  const relief = groups.find((g) => g.key === 'true');
  const net = relief?.net_fen ?? 0;
  const share = total > 0 ? net / total : 0;
  return (
    <section class="card stats-poverty" id="stats-poverty" aria-labelledby="stats-poverty-title">
      <h2 id="stats-poverty-title">{t('stats.povertyRelief')}</h2>
      <p class="stats-card-value" dir="ltr" data-fen={net}>
        {money(net)}
      </p>
      <p class="muted">
        {t('stats.povertyShare', {
          share: num(share * 100, { minimumFractionDigits: 1, maximumFractionDigits: 1 }),
          orders: num(relief?.orders ?? 0),
        })}
      </p>
      <Bar share={share} />
      {relief && <p class="muted">{t('stats.yoyShort', { value: pct(relief.yoy_pct) })}</p>}
    </section>
  );
}

function FigureRows({ rows, total }: { rows: [string, Figures][]; total: number }) {
  return (
    <table class="stats-table">
      <thead>
        <tr>
          <th scope="col">{t('stats.colName')}</th>
          <th scope="col">{t('stats.net')}</th>
          <th scope="col">{t('stats.orders')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, f]) => (
          <tr key={label}>
            <th scope="row">
              {label}
              <Bar share={total > 0 ? f.net_fen / total : 0} />
            </th>
            <td dir="ltr" data-fen={f.net_fen}>
              {money(f.net_fen)}
            </td>
            <td>{num(f.orders)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ConsumptionPanel({ c }: { c: Consumption }) {
  const total = Math.max(c.net_fen, 0);
  return (
    <section class="card stats-consumption" id="stats-consumption" aria-labelledby="stats-consumption-title">
      <h2 id="stats-consumption-title">{t('stats.consumption')}</h2>
      <p class="muted">{t('stats.consumptionHint')}</p>
      <p class="stats-card-value" dir="ltr" data-fen={c.net_fen}>
        {money(c.net_fen)}
      </p>
      <h3>{t('stats.tiers')}</h3>
      <FigureRows
        total={total}
        rows={[
          [t('stats.tierLow'), c.by_tier.low],
          [t('stats.tierMedium'), c.by_tier.medium],
          [t('stats.tierHigh'), c.by_tier.high],
        ]}
      />
      <h3>{t('stats.urbanRural')}</h3>
      <FigureRows
        total={total}
        rows={[
          [t('stats.urban'), c.urban],
          [t('stats.rural'), c.rural],
        ]}
      />
    </section>
  );
}

function Exports({ region, period }: { region: string; period: string }) {
  const link = (format: 'csv' | 'xlsx' | 'pdf', key: MessageKey): ComponentChildren => (
    <a
      class="button button-secondary"
      id={`stats-export-${format}`}
      href={exportUrl(region, period, format)}
      download
    >
      {t(key)}
    </a>
  );
  return (
    <section class="card stats-exports" aria-labelledby="stats-exports-title">
      <h2 id="stats-exports-title">{t('stats.exports')}</h2>
      <div class="actions">
        {link('csv', 'stats.exportCsv')}
        {link('xlsx', 'stats.exportXlsx')}
        {link('pdf', 'stats.exportPdf')}
      </div>
    </section>
  );
}

/** The significant digits of a region code: 650000 → 65, 652700 → 6527. */
function regionPrefix(code: string): string {
  if (code.length !== 6) return code;
  if (code.endsWith('0000')) return code.slice(0, 2);
  if (code.endsWith('00')) return code.slice(0, 4);
  return code;
}

/** The regions above the current one that the caller may see, as links. */
function Breadcrumb({ path, period }: { path: Region[]; period: string }) {
  const me = user.value;
  const admin = me?.roles.includes('admin') ?? false;
  const own = (me?.grants ?? [])
    .filter((g) => g.role === 'county_officer' && g.region_code)
    .map((g) => g.region_code!);
  const within = (code: string) => admin || own.some((o) => code.startsWith(regionPrefix(o)));
  const visible = path.filter((r) => within(r.code));
  return (
    <nav aria-label={t('stats.breadcrumb')}>
      <ol class="stats-crumbs" id="stats-crumbs">
        {visible.map((r, i) => (
          <li key={r.code} data-code={r.code}>
            {i === visible.length - 1 ? (
              <span aria-current="page">{r.name}</span>
            ) : (
              <Link href={`/stats?region=${encodeURIComponent(r.code)}&period=${encodeURIComponent(period)}`}>
                {r.name}
              </Link>
            )}
          </li>
        ))}
      </ol>
    </nav>
  );
}

export default function Stats({ query }: PageProps) {
  const me = user.value;
  const officerRegion = me?.grants.find((g) => g.role === 'county_officer' && g.region_code)?.region_code;
  const admin = me?.roles.includes('admin') ?? false;
  const allowed = admin || !!officerRegion;
  const now = thisMonth();
  const period = parsePeriod(query.get('period')) ?? { kind: 'year', year: now.year, index: 0 };
  const name = periodName(period);
  // An officer's own region by default; an admin starts at Xinjiang.
  const region = query.get('region') ?? (officerRegion ? undefined : '65');
  const data = useAsync(
    () => (allowed ? loadDashboard(region, period) : Promise.reject(new Error('forbidden'))),
    [region, name, allowed],
  );
  const go = (r: string | undefined, p: Period) => {
    const q = new URLSearchParams();
    if (r) q.set('region', r);
    q.set('period', periodName(p));
    navigate(`/stats?${q.toString()}`);
  };
  if (!allowed) {
    return (
      <div class="page stats-page">
        <h1>{t('stats.title')}</h1>
        <p class="card" id="stats-forbidden">
          {t('stats.forbidden')}
        </p>
      </div>
    );
  }
  const d = data.data;
  const townDrill = (g: StatsGroup) =>
    d && g.key !== d.head.region
      ? `/stats?region=${encodeURIComponent(g.key)}&period=${encodeURIComponent(name)}`
      : null;
  return (
    <div class="page stats-page">
      <h1>{t('stats.title')}</h1>
      {d && <Breadcrumb path={d.path} period={name} />}
      <p class="stats-subtitle" id="stats-subtitle">
        {d ? t('stats.subtitle', { region: d.head.region_name, period: periodLabel(period) }) : periodLabel(period)}
      </p>
      <PeriodPicker period={period} onChange={(p) => go(region, p)} />
      <ProblemAlert error={data.error} id="stats-error" />
      {data.error && (
        <button type="button" class="button" onClick={data.reload}>
          {t('common.retry')}
        </button>
      )}
      {data.loading && (
        <p class="loading" role="status">
          {t('common.loading')}
        </p>
      )}
      {d && (
        <div class="stats-grid" aria-busy={data.loading}>
          <Headline head={d.head} />
          <SeriesChart points={d.series} year={period.year} />
          <Breakdown by="township" groups={d.groups.township} drill={townDrill} />
          <Breakdown by="category" groups={d.groups.category} />
          <Breakdown by="seller_kind" groups={d.groups.seller_kind} />
          <Breakdown by="channel" groups={d.groups.channel} />
          <PovertyPanel groups={d.groups.poverty_relief} total={d.head.net_fen} />
          <ConsumptionPanel c={d.consumption} />
          <Exports region={d.head.region} period={name} />
        </div>
      )}
    </div>
  );
}
