import { A } from '@solidjs/router';
import { createEffect, createSignal, For, Match, on, onCleanup, onMount, Show, Switch } from 'solid-js';
import { t } from '../i18n';
import { formatDateTime } from '../lib/dossiers';
import { chatPane } from './ChatPane';
import { ControlBar, mediaShortcut, shortcutOf } from './ControlBar';
import { documentPane } from './DocumentPane';
import { createRoomLayout } from './layout';
import type { MeetingConnection } from './MeetingConnection';
import { minutesPane } from './MinutesPane';
import type { MeetingPane, PaneFactory } from './pane';
import { peoplePane } from './PeoplePane';
import { AudioSink, createStage, Tile, VideoStage, VideoStrip } from './VideoStage';
import { votePane } from './VotePane';

/** The panes features contribute, in tab order after the video and the participants. */
const FEATURE_PANES: PaneFactory[] = [documentPane, votePane, chatPane, minutesPane];

/**
 * The room once joined. One pane at a time fills a phone's screen (tabs above, the
 * controls pinned below, the speaker's video as a small overlay); on a wide screen the
 * chosen pane is beside the videos (beside the participants when the videos are chosen).
 * The document can take the whole window with the videos as a strip.
 */
export function Room(props: { connection: MeetingConnection }) {
  const c = props.connection;
  const s = c.state;
  const m = c.media.state;
  const isChair = () => s.self?.seat === 'chair';
  const layout = createRoomLayout();
  const stage = createStage(c, layout);
  const [active, setActive] = createSignal('video');
  // Full screen belongs to the document: another pane chosen leaves it.
  createEffect(on(active, (pane) => pane !== 'document' && layout.setDocumentFull(false)));

  const onKey = (e: KeyboardEvent) => {
    if (e.key === 'Escape' && layout.documentFull()) return layout.setDocumentFull(false);
    const key = shortcutOf(e);
    if (!mediaShortcut(key, c.media) && key === 'h') void c.toggleHand();
  };
  onMount(() => window.addEventListener('keydown', onKey));
  onCleanup(() => window.removeEventListener('keydown', onKey));

  // Ending asks on the page (no browser dialog); a refusal shows in the room's status line.
  const [confirmingEnd, setConfirmingEnd] = createSignal(false);
  const [roomError, setRoomError] = createSignal('');
  const endSession = () => setConfirmingEnd(true);
  const confirmEnd = () => {
    setConfirmingEnd(false);
    void c.endSession().catch((e: Error) => setRoomError(e.message));
  };
  const waiting = () => s.session?.status === 'planned';

  const video: MeetingPane = {
    id: 'video',
    label: () => t('meeting.panes.video'),
    render: () => <VideoStage connection={c} layout={layout} stage={stage} />,
  };
  const panes = [video, peoplePane(c), ...FEATURE_PANES.map((make) => make(c, setActive))];
  const shown = () => panes.filter((p) => p.when?.() ?? true);
  const overlay = () => {
    const id = stage();
    return active() !== 'video' && !layout.documentFull() && id !== null && id !== s.self?.userId ? id : null;
  };

  return (
    <Switch>
      <Match when={s.phase === 'refused' && s.error === 'invalid_transition'}>
        <div class="notice stack" role="status" data-testid="session-closed">
          <p>{t('meeting.status.closed')}</p>
          <WaysOn sessionId={c.sessionId} />
        </div>
      </Match>
      <Match when={s.phase === 'refused'}>
        <div class="stack">
          <p class="error" role="alert" data-testid="refused">{t('meeting.status.refused')}</p>
          <WaysOn />
        </div>
      </Match>
      <Match when={s.phase === 'left'}>
        <div class="stack">
          <p class="muted">{t('meeting.status.left')}</p>
          <WaysOn />
        </div>
      </Match>
      <Match when={s.phase === 'ended'}>
        <div class="notice stack" role="status" data-testid="session-ended">
          <p>{t('meeting.status.ended')}</p>
          <WaysOn sessionId={c.sessionId} />
        </div>
      </Match>
      <Match when={true}>
        <div class="room" data-testid="room" data-phase={s.phase} data-active={active()} data-document-full={layout.documentFull()}>
          <div class="room-status">
            <Show when={waiting() && s.session} keyed>
              {(session) => (
                <div class="notice waiting" role="status" data-testid="waiting-room">
                  <strong>{t('meeting.waiting.title', { when: formatDateTime(session.startsAt) })}</strong>
                  <p>{isChair() ? t('meeting.waiting.chair') : t('meeting.waiting.member')}</p>
                  <Show when={isChair()}>
                    <button type="button" class="primary" data-testid="open-session" onClick={() => void c.openSession().catch((e: Error) => setRoomError(e.message))}>
                      {t('meeting.waiting.open')}
                    </button>
                  </Show>
                </div>
              )}
            </Show>
            <Show when={confirmingEnd()}>
              <div class="notice row" role="alertdialog" aria-label={t('meeting.endConfirm')} data-testid="end-confirm">
                <span>{t('meeting.endConfirm')}</span>
                <button type="button" class="primary" data-testid="end-confirm-yes" onClick={confirmEnd}>{t('meeting.endYes')}</button>
                <button type="button" class="secondary" onClick={() => setConfirmingEnd(false)}>{t('meeting.endNo')}</button>
              </div>
            </Show>
            <Show when={roomError()}>
              <p class="error" role="alert" data-testid="room-error">{roomError()}</p>
            </Show>
            <Show when={s.phase !== 'joined'}>
              <p class="muted" role="status">{s.phase === 'reconnecting' ? t('meeting.status.reconnecting') : t('meeting.status.connecting')}</p>
            </Show>
            <Show when={m.mutedByChair}>
              <p class="notice" role="alert" data-testid="muted-by-chair">{t('meeting.status.mutedByChair')}</p>
            </Show>
            <Show when={m.mediaStalled && s.phase === 'joined'}>
              <p class="notice" role="alert" data-testid="media-stalled">{t('meeting.status.mediaStalled')}</p>
            </Show>
            <Show when={m.videoDroppedForLink}>
              <p class="notice" role="status" data-testid="video-dropped">
                {t('meeting.status.videoDropped')}{' '}
                <button type="button" data-testid="video-back" onClick={() => void c.setMode('video')}>{t('meeting.status.videoBack')}</button>
              </p>
            </Show>
            <Show when={m.proposeAudioOnly}>
              <p class="notice" role="alert" data-testid="propose-audio-only">
                {t('meeting.status.proposeAudioOnly')}{' '}
                <button type="button" onClick={() => void c.setMode('audio')}>{t('meeting.status.accept')}</button>
              </p>
            </Show>
          </div>
          <div class="tabs" role="tablist" aria-label={t('meeting.panes.tabs')}>
            <For each={shown()}>
              {(pane) => (
                <button type="button" role="tab" id={`tab-${pane.id}`} aria-controls={`pane-${pane.id}`} class={`tab tab-${pane.id}`} data-testid={`tab-${pane.id}`}
                  aria-selected={active() === pane.id} onClick={() => setActive(pane.id)}>
                  {pane.label()}
                </button>
              )}
            </For>
          </div>
          <For each={shown()}>
            {(pane) => (
              <section class={`pane pane-${pane.id}`} role="tabpanel" id={`pane-${pane.id}`} aria-labelledby={`tab-${pane.id}`}
                data-testid={`pane-${pane.id}`} data-active={active() === pane.id}>
                {pane.render()}
              </section>
            )}
          </For>
          <Show when={layout.documentFull()}>
            <VideoStrip connection={c} report />
          </Show>
          <Show when={overlay()} keyed>
            {(id) => (
              <button type="button" class="speaker-overlay" data-testid="speaker-overlay" onClick={() => setActive('video')}>
                <span class="visually-hidden">{t('meeting.layout.overlay')}</span>
                <Tile connection={c} userId={id} report={false} testId={`overlay-${id}`} />
              </button>
            )}
          </Show>
          <AudioSink connection={c} />
          <ControlBar connection={c} layout={layout} documentShown={active() === 'document'} onEnd={endSession} />
        </div>
      </Match>
    </Switch>
  );
}

/** Where to go once out of a session: the list of sessions, and its minutes when there are some. */
function WaysOn(props: { sessionId?: number }) {
  return (
    <p class="row" data-testid="ways-on">
      <Show when={props.sessionId}>
        {(id) => <A href={`/minutes/${id()}`} class="button" data-testid="to-minutes">{t('meeting.status.toMinutes')}</A>}
      </Show>
      <A href="/meeting" data-testid="to-sessions">{t('meeting.status.toSessions')}</A>
    </p>
  );
}
