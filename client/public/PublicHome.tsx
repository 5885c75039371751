import { t } from '../i18n';

/** The public calendar of sessions and the opinions given (no personal data). */
export function PublicHome() {
  return (
    <section>
      <h1>{t('public.title')}</h1>
      <p>{t('public.intro')}</p>
    </section>
  );
}
