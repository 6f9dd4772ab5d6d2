// The statistics office's calls (county officers and admins): retail sales
// of a region in a period, its breakdowns, the monthly series, residents'
// consumption, and the addresses of the report files.
import { lang } from '../i18n';
import { API_BASE, api } from './client';

export type GroupBy = 'township' | 'category' | 'seller_kind' | 'channel' | 'poverty_relief';
export const GROUP_BYS: GroupBy[] = ['township', 'category', 'seller_kind', 'channel', 'poverty_relief'];

export interface StatsGroup {
  key: string;
  name: string;
  net_fen: number;
  orders: number;
  yoy_pct: number | null;
}

export interface Retail {
  region: string;
  region_name: string;
  period: string;
  gross_fen: number;
  refunds_fen: number;
  net_fen: number;
  orders: number;
  prev_year_net_fen: number;
  yoy_pct: number | null;
  prev_period_net_fen: number;
  qoq_pct: number | null;
  groups: StatsGroup[];
}

export interface SeriesPoint {
  period: string; // YYYY-MM
  net_fen: number;
  orders: number;
}

export interface Figures {
  net_fen: number;
  gross_fen: number;
  refunds_fen: number;
  orders: number;
}

export interface Consumption extends Figures {
  region: string;
  region_name: string;
  period: string;
  by_tier: { low: Figures; medium: Figures; high: Figures };
  urban: Figures;
  rural: Figures;
}

function query(params: Record<string, string | undefined>): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  return q.toString();
}

export function retail(region: string | undefined, period: string, groupBy?: GroupBy): Promise<Retail> {
  return api.get<Retail>(`/stats/retail?${query({ region, period, group_by: groupBy })}`);
}

export async function series(region: string | undefined, from: string, to: string): Promise<SeriesPoint[]> {
  const r = await api.get<{ items: SeriesPoint[] }>(`/stats/retail/series?${query({ region, from, to })}`);
  return r.items;
}

export function consumption(region: string | undefined, period: string): Promise<Consumption> {
  return api.get<Consumption>(`/stats/consumption?${query({ region, period })}`);
}

export type ExportFormat = 'csv' | 'xlsx' | 'pdf';

/** The address of a report file in the current language (the session cookie authorises it). */
export function exportUrl(region: string, period: string, format: ExportFormat): string {
  const q = query({ region, period, lang: lang.value });
  return format === 'pdf' ? `${API_BASE}/stats/report.pdf?${q}` : `${API_BASE}/stats/export?${q}&format=${format}`;
}
