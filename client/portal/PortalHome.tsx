import { t } from '../i18n';
import { locale } from '../i18n';
import { me } from '../lib/session';

/** The applicant's home: their dossiers. */
export function PortalHome() {
  return (
    <section>
      <h1>{t('portal.title')}</h1>
      <p data-testid="welcome">{t('portal.welcome', { name: (locale() === 'ar' ? me()?.nameAr : me()?.nameFr) ?? '' })}</p>
    </section>
  );
}
