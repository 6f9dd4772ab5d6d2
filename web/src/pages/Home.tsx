import { Icon } from '../components/Icon';
import { Placeholder } from '../components/Placeholder';
import { t } from '../i18n';
import { Link } from '../router';
import { user } from '../state/session';

export default function Home() {
  const me = user.value;
  return (
    <div class="page home">
      <section class="hero" aria-labelledby="home-heading">
        <h1 id="home-heading">{me ? t('home.welcomeBack', { name: me.display_name }) : t('home.heading')}</h1>
        <p class="hero-text">{t('home.intro')}</p>
        <div class="hero-actions">
          <Link href="/regions" class="button button-light">
            <Icon name="pin" size={20} />
            <span>{t('home.browseRegions')}</span>
          </Link>
          {!me && (
            <Link href="/login" class="button button-outline-light">
              {t('home.login')}
            </Link>
          )}
        </div>
      </section>
      <Placeholder id="home-categories" titleKey="home.categories" textKey="home.categoriesSoon" icon="grid" />
      <Placeholder id="home-new" titleKey="home.newProducts" textKey="home.newProductsSoon" icon="leaf" />
      <Placeholder id="home-live" titleKey="home.liveNow" textKey="home.liveNowSoon" icon="live" tiles={2} />
    </div>
  );
}
