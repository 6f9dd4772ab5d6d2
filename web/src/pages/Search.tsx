import { Icon } from '../components/Icon';
import { t } from '../i18n';
import type { PageProps } from '../routes';

export default function Search({ query }: PageProps) {
  const q = query.get('q')?.trim() ?? '';
  return (
    <div class="page page-narrow coming-soon">
      <div class="coming-soon-icon" aria-hidden="true">
        <Icon name="search" size={48} />
      </div>
      <h1>{q ? t('search.resultsFor', { q }) : t('search.title')}</h1>
      <p>
        <span class="badge">{t('common.comingSoon')}</span> {t('search.soon')}
      </p>
    </div>
  );
}
