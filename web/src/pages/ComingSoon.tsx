// Stands in for a section that a later feature builds (categories, live, cart).
import { Icon, type IconName } from '../components/Icon';
import { t, type MessageKey } from '../i18n';
import { Link } from '../router';

interface Props {
  titleKey: MessageKey;
  textKey: MessageKey;
  icon: IconName;
}

export default function ComingSoon({ titleKey, textKey, icon }: Props) {
  return (
    <div class="page page-narrow coming-soon">
      <div class="coming-soon-icon" aria-hidden="true">
        <Icon name={icon} size={48} />
      </div>
      <h1>{t(titleKey)}</h1>
      <p>
        <span class="badge">{t('common.comingSoon')}</span> {t(textKey)}
      </p>
      <Link href="/" class="button">
        {t('notFound.home')}
      </Link>
    </div>
  );
}
