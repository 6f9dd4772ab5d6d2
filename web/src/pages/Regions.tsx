import { useState } from 'preact/hooks';
import { RegionPicker } from '../components/RegionPicker';
import type { Region } from '../api/types';
import { t } from '../i18n';
import { location, navigate } from '../router';
import type { PageProps } from '../routes';

export default function Regions({ query }: PageProps) {
  const [initial] = useState(() => query.get('code'));
  const [path, setPath] = useState<Region[]>([]);
  const chosen = path[path.length - 1];

  const onChange = (region: Region | null, p: Region[]) => {
    setPath(p);
    // Keep the choice in the address so it can be shared or reloaded.
    const target = region ? `/regions?code=${region.code}` : '/regions';
    if (location.value.path === '/regions') navigate(target, { quiet: true });
  };

  return (
    <div class="page page-narrow">
      <h1>{t('regions.title')}</h1>
      <p>{t('regions.intro')}</p>
      <div class="card">
        <RegionPicker id="region" value={initial} onChange={onChange} />
        <output class="region-result" id="region-result" aria-live="polite">
          {chosen ? (
            <>
              <span class="region-path">{path.map((r) => r.name).join(' / ')}</span>
              <span class="region-meta">
                <span dir="ltr">{chosen.code}</span>
                {' · '}
                {chosen.urban ? t('region.urban') : t('region.rural')}
              </span>
            </>
          ) : (
            t('regions.none')
          )}
        </output>
      </div>
    </div>
  );
}
