import { useParams } from '@solidjs/router';
import './meeting.css';
import { createResource, onCleanup, Show } from 'solid-js';
import { t } from '../i18n';
import { api } from '../lib/api';
import { formatDateTime, localName } from '../lib/dossiers';
import { MeetingConnection } from './MeetingConnection';
import { PreJoin } from './PreJoin';
import { Room } from './Room';

/** The committee meeting room of one session: pre-join screen, then the room. */
export function MeetingRoomPage() {
  const params = useParams<{ sessionId: string }>();
  // Connected from the pre-join screen on, so that "join" only has to join.
  const connection = new MeetingConnection(Number(params.sessionId));
  onCleanup(() => void connection.leave());
  return (
    <section class="meeting">
      <h1>{t('meeting.room')}</h1>
      <Show when={connection.state.phase !== 'lobby'} fallback={<PreJoin onJoin={(o) => connection.enter(o)}><SessionLine sessionId={connection.sessionId} /></PreJoin>}>
        <Room connection={connection} />
      </Show>
    </section>
  );
}

/** Which session this is, said before anyone enters. */
function SessionLine(props: { sessionId: number }) {
  const [session] = createResource(() => props.sessionId, (id) => api.sessions.get(id));
  return (
    <Show when={session()}>
      {(s) => (
        <p data-testid="prejoin-session">
          <strong><bdi>{localName(s().committee)}</bdi></strong> — {t('meeting.prejoin.session', { when: formatDateTime(s().startsAt) })} ({t(`words.sessionMode.${s().mode}`)})
        </p>
      )}
    </Show>
  );
}
