import { t } from '../i18n';
import { Link } from '../router';

export default function NotFound() {
  return (
    <div class="page page-narrow not-found">
      <h1>{t('notFound.title')}</h1>
      <p>{t('notFound.text')}</p>
      <Link href="/" class="button">
        {t('notFound.home')}
      </Link>
    </div>
  );
}
