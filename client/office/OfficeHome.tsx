import { t } from '../i18n';

/** The secretary's home: the dossier queue and the sessions. */
export function OfficeHome() {
  return (
    <section>
      <h1>{t('office.title')}</h1>
    </section>
  );
}
