import { Show } from 'solid-js';
import { t } from '../i18n';
import type { RoomLayout } from './layout';
import type { MeetingConnection } from './MeetingConnection';
import type { MediaSession } from './MediaSession';

/** A key the room answers: shown only where there is a keyboard (CSS hides it on touch screens), announced as a shortcut. */
const Key = (props: { k: string }) => <kbd class="key-hint" aria-hidden="true">{props.k}</kbd>;

/** The one-letter shortcut pressed, in lower case; null while typing in a field or with a modifier held. */
export function shortcutOf(e: KeyboardEvent): string | null {
  const typing = e.target instanceof HTMLInputElement || e.target instanceof HTMLSelectElement || e.target instanceof HTMLTextAreaElement;
  return typing || e.ctrlKey || e.metaKey || e.altKey ? null : e.key.toLowerCase();
}

/** M turns the microphone on or off, V the camera: whether `key` was one of them. */
export function mediaShortcut(key: string | null, media: MediaSession): boolean {
  if (key === 'm') void media.toggleMic();
  else if (key === 'v') void media.toggleCamera();
  else return false;
  return true;
}

/** The microphone and camera buttons (M, V), the members' and the guest's. */
export function MediaToggles(props: { media: MediaSession }) {
  const m = props.media.state;
  return (
    <>
      <button type="button" data-testid="toggle-mic" aria-pressed={m.micOn} aria-keyshortcuts="M" onClick={() => void props.media.toggleMic()}>
        {m.micOn ? t('meeting.controls.micOn') : t('meeting.controls.micOff')} <Key k="M" />
      </button>
      <button type="button" data-testid="toggle-camera" aria-pressed={m.cameraOn} aria-keyshortcuts="V" disabled={m.mode === 'audio'} onClick={() => void props.media.toggleCamera()}>
        {m.cameraOn ? t('meeting.controls.cameraOn') : t('meeting.controls.cameraOff')} <Key k="V" />
      </button>
    </>
  );
}

/**
 * The room's controls, pinned at the bottom of the screen in every pane: microphone,
 * camera, hand, audio-only, the layout (grid or speaker, the document full screen), and
 * for the chair ending the session; leaving last, apart.
 */
export function ControlBar(props: { connection: MeetingConnection; layout: RoomLayout; documentShown: boolean; onEnd: () => void }) {
  const c = props.connection;
  const m = c.media.state;
  const s = c.state;
  const handUp = () => !!s.self && s.hands.includes(s.self.userId);
  const isChair = () => s.self?.seat === 'chair';
  const live = () => s.session?.status === 'live';
  const speaker = () => props.layout.view() === 'speaker';
  return (
    <div class="controls" role="toolbar" aria-label={t('meeting.controls.label')} data-testid="controls">
      <MediaToggles media={c.media} />
      <button type="button" data-testid="toggle-hand" aria-pressed={handUp()} aria-keyshortcuts="H" onClick={() => void c.toggleHand()}>
        {handUp() ? t('meeting.controls.lowerHand') : t('meeting.controls.raiseHand')} <Key k="H" />
      </button>
      <button type="button" data-testid="toggle-mode" onClick={() => void c.setMode(m.mode === 'audio' ? 'video' : 'audio')}>
        {m.mode === 'audio' ? t('meeting.controls.withVideo') : t('meeting.controls.audioOnly')}
      </button>
      <button type="button" class="layout" data-testid="toggle-view" aria-pressed={speaker()} onClick={() => props.layout.setView(speaker() ? 'grid' : 'speaker')}>
        {t('meeting.layout.speakerView')}
      </button>
      <Show when={props.documentShown}>
        <button type="button" class="layout" data-testid="toggle-document-full" aria-pressed={props.layout.documentFull()}
          onClick={() => props.layout.setDocumentFull(!props.layout.documentFull())}>
          {t('meeting.layout.documentFull')}
        </button>
      </Show>
      <Show when={isChair() && live()}>
        <button type="button" class="secondary" data-testid="end-session" onClick={() => props.onEnd()}>
          {t('meeting.controls.endSession')}
        </button>
      </Show>
      <button type="button" class="danger" data-testid="leave" onClick={() => void c.leave()}>
        {t('meeting.controls.leave')}
      </button>
    </div>
  );
}
