import { For, Show } from 'solid-js';
import { t } from '../i18n';
import { localName } from '../lib/dossiers';
import { HearingGuests } from './HearingGuests';
import type { MeetingConnection } from './MeetingConnection';
import type { MeetingPane } from './pane';

/** Who is there (seat, presence, mode, link, microphone; the chair's mute) and the raised hands in order. */
function People(props: { connection: MeetingConnection }) {
  const c = props.connection;
  const s = c.state;
  const isChair = () => s.self?.seat === 'chair';
  const byId = (id: number) => s.participants.find((p) => p.userId === id);
  return (
    <>
      <h2>{t('meeting.participants')}</h2>
      <ul class="participants" data-testid="participants">
        <For each={s.participants}>
          {(p) => (
            <li data-testid={`participant-${p.userId}`} data-status={p.status} classList={{ speaking: s.activeSpeaker === p.userId }}>
              <span class="name">{localName(p)}{p.userId === s.self?.userId ? ` (${t('meeting.you')})` : ''}</span>
              <span class={`badge seat-${p.seat}`}>{t(`words.seat.${p.seat}`)}</span>
              <span class="badge">{t(`meeting.presence.${p.status}`)}</span>
              <span class="badge">{t(`words.attendance.${p.mode}`)}</span>
              <span class={`quality q-${p.quality}`} title={t(`meeting.quality.${p.quality}`)} role="img" aria-label={t(`meeting.quality.${p.quality}`)} />
              <Show when={p.micMuted}>
                <span class="badge">{t('meeting.micMuted')}</span>
              </Show>
              <Show when={isChair() && p.userId !== s.self?.userId && !p.micMuted}>
                <button type="button" data-testid={`mute-${p.userId}`} onClick={() => void c.request('muteParticipant', { userId: p.userId })}>
                  {t('meeting.mute')}
                </button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <HearingGuests connection={c} />
      <h2>{t('meeting.hands')}</h2>
      <ol class="hands" data-testid="hands">
        <For each={s.hands}>
          {(userId) => (
            <li>
              {byId(userId) ? localName(byId(userId)!) : userId}
              <Show when={isChair()}>
                <button type="button" onClick={() => void c.request('clearHands', { userId })}>{t('meeting.clearHand')}</button>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <Show when={isChair() && s.hands.length > 0}>
        <button type="button" data-testid="clear-hands" onClick={() => void c.request('clearHands', {})}>{t('meeting.clearHands')}</button>
      </Show>
    </>
  );
}

export const peoplePane = (connection: MeetingConnection): MeetingPane => ({
  id: 'people',
  label: () => t('meeting.panes.people'),
  render: () => <People connection={connection} />,
});
