import { createEffect, createSignal, For, on, onCleanup, Show } from 'solid-js';
import type { GuestInfo, HearingState } from '../../protocol/hearings';
import { t } from '../i18n';
import type { MeetingConnection } from './MeetingConnection';
import { RequestError } from './signalling';

/**
 * The guests of the session as the committee sees them: who waits in the lobby for which item,
 * who is being heard; the chair admits (once the guest's item is the open one) and ends the hearing.
 */
export function HearingGuests(props: { connection: MeetingConnection }) {
  const c = props.connection;
  const [state, setState] = createSignal<HearingState>({ waiting: [], admitted: [] });
  const [error, setError] = createSignal('');
  createEffect(on(() => c.state.features, (features) => features.hearing && setState(features.hearing)));
  const changed = (next: HearingState) => setState(next);
  c.socket.on('hearing', changed);
  onCleanup(() => c.socket.off('hearing', changed));
  const isChair = () => c.state.self?.seat === 'chair';
  const act = (event: 'admitGuest' | 'endHearing', g: GuestInfo) => {
    setError('');
    c.request(event, { invitationId: g.invitationId }).catch((e: Error) =>
      setError(e instanceof RequestError && e.code === 'hearing_not_open' ? t('meeting.hearing.notOpen', { n: String(g.position) }) : e.message));
  };
  const line = (g: GuestInfo, key: 'waiting' | 'heard') => t(`meeting.hearing.${key}`, { name: g.name, n: String(g.position) });
  return (
    <Show when={state().waiting.length + state().admitted.length > 0}>
      <h2>{t('meeting.hearing.title')}</h2>
      <ul class="participants" data-testid="hearing-guests">
        <For each={state().waiting}>
          {(g) => (
            <li data-testid={`guest-waiting-${g.invitationId}`}>
              <bdi>{line(g, 'waiting')}</bdi>
              <Show when={isChair()}>
                <button type="button" data-testid={`admit-${g.invitationId}`} onClick={() => act('admitGuest', g)}>{t('meeting.hearing.admit')}</button>
              </Show>
            </li>
          )}
        </For>
        <For each={state().admitted}>
          {(g) => (
            <li data-testid={`guest-heard-${g.invitationId}`}>
              <bdi>{line(g, 'heard')}</bdi>
              <Show when={isChair()}>
                <button type="button" class="danger" data-testid={`end-hearing-${g.invitationId}`} onClick={() => act('endHearing', g)}>{t('meeting.hearing.end')}</button>
              </Show>
            </li>
          )}
        </For>
      </ul>
      <Show when={error()}><p class="notice" role="alert">{error()}</p></Show>
    </Show>
  );
}
