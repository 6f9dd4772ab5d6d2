// Chooses a region level by level (province → prefecture → county → township
// → village) from the region API. One native <select> per level: keyboard
// and screen-reader friendly on every phone. Reusable: addresses, shops and
// statistics pick regions with it.
import { useEffect, useRef, useState } from 'preact/hooks';
import type { TargetedEvent } from 'preact';
import { region as fetchRegion, regionChildren } from '../api/regions';
import type { Region, RegionLevel } from '../api/types';
import { t, type MessageKey } from '../i18n';
import { ProblemAlert } from './ProblemAlert';

const LEVELS: RegionLevel[] = ['province', 'prefecture', 'county', 'township', 'village'];

const LEVEL_KEYS: Record<RegionLevel, MessageKey> = {
  province: 'region.level.province',
  prefecture: 'region.level.prefecture',
  county: 'region.level.county',
  township: 'region.level.township',
  village: 'region.level.village',
};

interface Column {
  /** Whose children this column lists; null for the provinces. */
  parent: string | null;
  items: Region[] | null;
  selected: string;
}

export interface RegionPickerProps {
  /** Id prefix for the selects: `${id}-province`, `${id}-prefecture`, … */
  id: string;
  legendKey?: MessageKey;
  /** The initially chosen region's code. */
  value?: string | null;
  /** Called with the deepest chosen region and its ancestors (outermost first). */
  onChange?: (chosen: Region | null, path: Region[]) => void;
  /** The deepest level offered; defaults to village. */
  deepest?: RegionLevel;
}

function levelOf(column: Column, index: number): RegionLevel {
  return column.items?.[0]?.level ?? LEVELS[Math.min(index, LEVELS.length - 1)]!;
}

export function RegionPicker({ id, legendKey = 'region.legend', value, onChange, deepest = 'village' }: RegionPickerProps) {
  const [columns, setColumns] = useState<Column[]>([{ parent: null, items: null, selected: '' }]);
  const [error, setError] = useState<unknown>(null);
  // Answers that arrive after a newer choice was made are dropped.
  const generation = useRef(0);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;

  const maxColumns = LEVELS.indexOf(deepest) + 1;

  async function loadInitial(code: string | null | undefined, gen: number) {
    setError(null);
    try {
      const provinces = await regionChildren(null);
      if (!code) {
        if (gen === generation.current) setColumns([{ parent: null, items: provinces, selected: '' }]);
        return;
      }
      const chosen = await fetchRegion(code);
      const chain = [...chosen.path, chosen];
      const next: Column[] = [{ parent: null, items: provinces, selected: chain[0]?.code ?? '' }];
      for (let i = 1; i < chain.length; i++) {
        const parent = chain[i - 1]!.code;
        next.push({ parent, items: await regionChildren(parent), selected: chain[i]!.code });
      }
      if (next.length < maxColumns) {
        const children = await regionChildren(chosen.code);
        if (children.length) next.push({ parent: chosen.code, items: children, selected: '' });
      }
      if (gen === generation.current) setColumns(next);
    } catch (e) {
      if (gen === generation.current) setError(e);
    }
  }

  useEffect(() => {
    const gen = ++generation.current;
    void loadInitial(value, gen);
    // Only the first value counts; later ones come from the user's own choices.
  }, []);

  function report(next: Column[]) {
    const path: Region[] = [];
    for (const c of next) {
      const r = c.items?.find((item) => item.code === c.selected);
      if (!r) break;
      path.push(r);
    }
    onChangeRef.current?.(path[path.length - 1] ?? null, path);
  }

  async function choose(index: number, code: string) {
    const gen = ++generation.current;
    setError(null);
    const kept = columns.slice(0, index + 1).map((c, i) => (i === index ? { ...c, selected: code } : c));
    const wantsChildren = code !== '' && kept.length < maxColumns;
    const next = wantsChildren ? [...kept, { parent: code, items: null, selected: '' }] : kept;
    setColumns(next);
    report(kept);
    if (!wantsChildren) return;
    try {
      const children = await regionChildren(code);
      if (gen !== generation.current) return;
      setColumns(children.length ? [...kept, { parent: code, items: children, selected: '' }] : kept);
    } catch (e) {
      if (gen !== generation.current) return;
      setColumns(kept);
      setError(e);
    }
  }

  const retry = () => {
    const gen = ++generation.current;
    const last = columns[columns.length - 1];
    if (!last || last.items === null || columns.length === 1) {
      void loadInitial(value, gen);
    } else {
      const index = columns.length - 1;
      void choose(index, last.selected);
    }
  };

  return (
    <fieldset class="region-picker" id={id}>
      <legend>{t(legendKey)}</legend>
      {columns.map((column, index) => {
        const level = levelOf(column, index);
        const selectId = `${id}-${level}`;
        const onSelect = (e: TargetedEvent<HTMLSelectElement>) => void choose(index, e.currentTarget.value);
        const loading = column.items === null;
        return (
          <div class="field" key={`${column.parent ?? 'root'}`}>
            <label for={selectId}>{t(LEVEL_KEYS[level])}</label>
            <select
              id={selectId}
              name={selectId}
              data-level={level}
              value={column.selected}
              onChange={onSelect}
              disabled={loading}
              aria-busy={loading ? 'true' : undefined}
            >
              <option value="">{loading ? t('common.loading') : t('region.choose')}</option>
              {column.items?.map((r) => (
                <option key={r.code} value={r.code}>
                  {r.name}
                </option>
              ))}
            </select>
          </div>
        );
      })}
      {error ? (
        <div class="region-picker-error">
          <ProblemAlert error={error} />
          <button type="button" class="button button-secondary" onClick={retry}>
            {t('common.retry')}
          </button>
        </div>
      ) : null}
    </fieldset>
  );
}
