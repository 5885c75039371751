import { onCleanup, onMount, Show } from 'solid-js';
import { t } from '../i18n';
import { MediaToggles, mediaShortcut, shortcutOf } from '../meeting/ControlBar';
import { createRoomLayout } from '../meeting/layout';
import { AudioSink, createStage, VideoStage } from '../meeting/VideoStage';
import type { GuestConnection } from './GuestConnection';
import { GuestDocument } from './GuestDocument';

/**
 * The admitted guest's room: the page of their dossier the presenter shows, the committee's
 * videos and voices, their microphone and camera and leaving, pinned at the bottom. Nothing
 * else of the meeting: no vote, no agenda, no chat, no minutes.
 */
export function GuestRoom(props: { connection: GuestConnection }) {
  const c = props.connection;
  const layout = createRoomLayout();
  const stage = createStage(c, layout);
  const onKey = (e: KeyboardEvent) => void mediaShortcut(shortcutOf(e), c.media);
  onMount(() => window.addEventListener('keydown', onKey));
  onCleanup(() => window.removeEventListener('keydown', onKey));
  return (
    <div class="room hearing-room" data-testid="guest-room" data-phase={c.state.phase}>
      <Show when={c.state.phase === 'lost'}>
        <p class="notice" role="status" data-testid="guest-lost">{t('hearing.lost')}</p>
      </Show>
      <section class="hearing-document" aria-labelledby="hearing-document-title">
        <h2 id="hearing-document-title">{t('hearing.room.title', { position: String(c.guest.position) })} — <bdi>{c.guest.reference}</bdi></h2>
        <GuestDocument connection={c} />
      </section>
      <section class="hearing-videos" aria-label={t('hearing.room.committee')}>
        <VideoStage connection={c} layout={layout} stage={stage} />
      </section>
      <AudioSink connection={c} />
      <div class="controls" role="toolbar" aria-label={t('meeting.controls.label')} data-testid="controls">
        <MediaToggles media={c.media} />
        <button type="button" class="danger" data-testid="leave" onClick={() => void c.leave()}>{t('hearing.room.leave')}</button>
      </div>
    </div>
  );
}
