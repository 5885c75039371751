import { A } from '@solidjs/router';
import { createEffect, createMemo, createSignal, on, onCleanup, Show } from 'solid-js';
import type { MinutesView } from '../../protocol/minutes';
import { t } from '../i18n';
import { MinutesDocument, SaveState } from '../minutes/MinutesDocument';
import { MinutesDraft } from '../minutes/MinutesDraft';
import type { MeetingConnection } from './MeetingConnection';
import { RequestError } from './signalling';
import type { PaneFactory } from './pane';
import { presentationOf } from './presentation';

/** Events after which the records the minutes are filled from have changed. */
const RECORD_EVENTS = ['recusal', 'voteClosed'] as const;
const REFRESH_MS = 1000;

/**
 * The secretary's minutes during the session: the structure fills itself from the records
 * (re-read when attendance, the documents shown, a recusal or a vote change, a little later
 * so that bursts make one request — not on every scroll, mute or link-quality update), and
 * the secretary's text autosaves over the meeting socket.
 */
function MinutesPanel(props: { connection: MeetingConnection }) {
  const c = props.connection;
  const [view, setView] = createSignal<MinutesView | null>(null);
  // The browser's own offline flag first: a socket can look connected for a while after the network is gone.
  const online = () => navigator.onLine && c.state.phase === 'joined' && c.socket.connected;
  const draft = new MinutesDraft({
    sessionId: c.sessionId,
    userId: c.state.self!.userId,
    send: (edit) => c.request('editMinutes', edit),
    online,
    refusal: (e) => (e instanceof RequestError ? e.message : null),
    onSaved: setView,
  });
  // Every (re)join brings the minutes as they stand: show them, then send what was typed meanwhile.
  createEffect(on(() => c.state.features, (features) => {
    if (features.minutes) setView(features.minutes);
    if (online()) void draft.flush();
  }));

  let timer: ReturnType<typeof setTimeout> | undefined;
  const refresh = () => {
    clearTimeout(timer);
    timer = setTimeout(() => void c.request('getMinutes', {}).then(setView, () => undefined), REFRESH_MS);
  };
  const socket = c.socket as unknown as { on(e: string, f: () => void): void; off(e: string, f: () => void): void };
  for (const event of RECORD_EVENTS) socket.on(event, refresh);
  // Attendance records who is there and how; the documents shown, each version once.
  const presentation = presentationOf(c);
  const attendance = createMemo(() => c.state.participants.map((p) => `${p.userId}:${p.status}:${p.mode}`).join());
  createEffect(on([attendance, () => presentation.currentItemId, () => presentation.view?.versionId], refresh, { defer: true }));
  onCleanup(() => {
    for (const event of RECORD_EVENTS) socket.off(event, refresh);
    clearTimeout(timer);
    draft.dispose();
  });

  return (
    <Show when={view()} fallback={<p class="muted">…</p>}>
      {(v) => (
        <div class="stack">
          <div class="minutes-actions">
            <SaveState draft={draft} />
            <A href={`/minutes/${v().sessionId}`} target="_blank">{t('minutes.open')}</A>
          </div>
          <MinutesDocument view={v()} draft={draft} />
        </div>
      )}
    </Show>
  );
}

/** The minutes tab of the meeting room, the secretary's alone. */
export const minutesPane: PaneFactory = (connection) => ({
  id: 'minutes',
  label: () => t('minutes.pane'),
  when: () => connection.state.self?.seat === 'secretary',
  render: () => <MinutesPanel connection={connection} />,
});
