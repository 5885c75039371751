import { t } from '../i18n';

/** A committee member's upcoming sessions. */
export function MeetingHome() {
  return (
    <section>
      <h1>{t('meeting.title')}</h1>
    </section>
  );
}
